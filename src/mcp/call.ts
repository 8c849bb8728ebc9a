import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import { touch } from "../room/agents";
import { errorText, MascError } from "../room/errors";
import type { AnyTool, ToolContext, ToolOutput } from "./define";
import { describeIssues } from "./issues";
import { DECORATORS, GUARDS } from "./pipeline";
import { discountWrites, readThrough } from "./read-cache";

const schemas = new WeakMap<AnyTool, z.ZodObject>();

export function inputSchema(tool: AnyTool): z.ZodObject {
  let schema = schemas.get(tool);
  if (!schema) {
    schema = z.object(tool.input).strict();
    schemas.set(tool, schema);
  }
  return schema;
}

export function textResult(text: string, isError = false): CallToolResult {
  return isError ? { content: [{ type: "text", text }], isError: true } : { content: [{ type: "text", text }] };
}

function render(out: ToolOutput): string {
  return typeof out === "string" ? out : JSON.stringify(out);
}

const TOUCH_EVERY_MS = 2_000;
const lastTouch = new WeakMap<object, Map<string, number>>();

/**
 * Any call counts as activity. Writing last_seen at most every 2 s per agent keeps a busy agent's
 * reads free of writes; zombie thresholds are minutes, so nothing is lost.
 */
function markActive(ctx: ToolContext, agent: string): void {
  let seen = lastTouch.get(ctx.db);
  if (!seen) {
    seen = new Map();
    lastTouch.set(ctx.db, seen);
  }
  if (ctx.now - (seen.get(agent) ?? 0) < TOUCH_EVERY_MS) return;
  seen.set(agent, ctx.now);
  const before = ctx.db.writes();
  // Only a revival changes what masc_status shows; last_seen alone leaves cached reads valid.
  if (!touch(ctx.db, ctx.now, agent)) discountWrites(ctx.db, ctx.db.writes() - before);
}

/**
 * The one seam every tool call goes through: input validation, guards, the handler inside a
 * transaction, activity tracking, and domain errors turned into `isError` results. The session's
 * mode is not checked: a mode only decides what tools/list shows, every tool stays callable.
 */
export async function callTool(tool: AnyTool, rawArgs: unknown, ctx: ToolContext): Promise<CallToolResult> {
  const parsed = inputSchema(tool).safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return textResult(`invalid_input: ${tool.name}: ${describeIssues(parsed.error, rawArgs ?? {})}`, true);
  }
  const args = parsed.data as Record<string, unknown>;
  try {
    // Concurrent writes run in one turn and share its commit; guards see what the handler will.
    if (!tool.annotations.readOnlyHint) await ctx.room.writeTurn();
    for (const guard of GUARDS) guard(tool, args, ctx);
    // A transaction costs two statements; a read-only tool has nothing to roll back.
    const out = await (tool.annotations.readOnlyHint
      ? readThrough(tool, args, ctx, () => tool.handler(args, ctx))
      : ctx.db.tx(() => tool.handler(args, ctx)));
    const agent = typeof args.agent_name === "string" ? args.agent_name : ctx.session.agent;
    if (agent) markActive(ctx, agent);
    // Hints go in blocks of their own, so the first block stays exactly the tool's output (JSON.parse works).
    const extra = DECORATORS.map((d) => d(tool, args, ctx)).filter((l): l is string => l !== null);
    return { content: [render(out), ...extra].map((text) => ({ type: "text" as const, text })) };
  } catch (err) {
    if (err instanceof MascError) return textResult(errorText(err), true);
    console.error(`tool ${tool.name} failed`, err);
    return textResult(`internal_error: ${tool.name} failed unexpectedly (${err instanceof Error ? err.message : String(err)})`, true);
  }
}
