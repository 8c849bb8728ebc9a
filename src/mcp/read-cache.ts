import type { Db } from "../room/sql";
import type { AnyTool, ToolContext, ToolOutput } from "./define";

/** Distinct calls kept per room; agents poll a few views, so a small table covers them. */
const MAX_ENTRIES = 64;

interface Entry {
  writes: number;
  /** The result as sent: a string result is sent as it is, so it is kept rendered. */
  text: string;
}

const tables = new WeakMap<Db, Map<string, Entry>>();
/** Writes that no cacheable read shows, per room. */
const unseen = new WeakMap<Db, number>();

/** The room's writes less those no cached read depends on: an entry holds while this holds. */
const version = (db: Db) => db.writes() - (unseen.get(db) ?? 0);

/**
 * Takes `n` writes off the count the cache compares: for writes no cacheable tool's answer shows
 * (an agent's `last_seen`, written every 2 s per busy agent, which at 20 agents would otherwise
 * empty the cache ten times a second).
 */
export function discountWrites(db: Db, n: number): void {
  unseen.set(db, (unseen.get(db) ?? 0) + n);
}

/**
 * Runs a read-only tool, or answers it from memory when the same call by the same caller (role and
 * agent) ran since the room's last write (a team polls masc_status and masc_tasks far more often
 * than the board changes). Only tools marked `cacheable` take part; every guard still runs first.
 */
export async function readThrough(
  tool: AnyTool,
  args: Record<string, unknown>,
  ctx: ToolContext,
  run: () => ToolOutput | Promise<ToolOutput>,
): Promise<ToolOutput> {
  if (!tool.cacheable) return run();
  let table = tables.get(ctx.db);
  if (!table) {
    table = new Map();
    tables.set(ctx.db, table);
  }
  const key = `${tool.name}\n${ctx.caller ? `${ctx.caller.role}:${ctx.caller.agent}` : "-"}\n${JSON.stringify(args)}`;
  const writes = version(ctx.db);
  const hit = table.get(key);
  if (hit?.writes === writes) return hit.text;
  // Counted before running: a write while the handler awaits leaves this entry stale, never wrong.
  const out = await run();
  const text = typeof out === "string" ? out : JSON.stringify(out);
  table.delete(key);
  table.set(key, { writes, text });
  if (table.size > MAX_ENTRIES) table.delete(table.keys().next().value as string);
  return text;
}
