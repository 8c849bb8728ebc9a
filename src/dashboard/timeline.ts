import { AGENT_NAME_RE } from "../mcp/fields";
import type { Caller } from "../room/auth";
import type { TextCodec } from "../room/codec";
import { anyEventBefore, bodyField, eventKinds, eventsBefore, type RoomEvent } from "../room/events";
import type { Db } from "../room/sql";
import { canSee, viewerOf } from "../room/visibility";

const KIND_RE = /^[a-z_]{1,40}$/;
const MAX_PAGE = 200;
/** Bodies shown in the timeline; portal messages stay between their two parties. */
const SHOWN_BODIES = new Set(["broadcast", "progress"]);

export interface TimelineQuery {
  before: number | null;
  agent: string | null;
  kind: string | null;
  limit: number;
  kinds: boolean;
}

/** Reads ?before=&agent=&kind=&limit= or says which field is wrong. */
export function timelineQuery(q: URLSearchParams): TimelineQuery | { error: string } {
  const before = q.get("before");
  const agent = q.get("agent") || null;
  const kind = q.get("kind") || null;
  const limit = Number(q.get("limit") ?? 50);
  if (before !== null && !/^\d{1,15}$/.test(before)) return { error: "before must be a seq (a whole number)" };
  if (agent !== null && !AGENT_NAME_RE.test(agent)) return { error: "agent must be 1-64 characters of letters, digits, '-' or '_'" };
  if (kind !== null && !KIND_RE.test(kind)) return { error: "kind must be an event kind such as broadcast or task_claimed" };
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return { error: `limit must be 1-${MAX_PAGE}` };
  return { before: before === null ? null : Number(before), agent, kind, limit, kinds: q.get("kinds") === "1" };
}

/**
 * One page of the room's events, newest first, before `before`; filters by actor (or target) and
 * kind. Pages by seq, so events appended meanwhile never shift a page.
 */
export async function timeline(db: Db, codec: TextCodec, caller: Caller | null, q: TimelineQuery) {
  const out: Array<Omit<RoomEvent, "body" | "ts"> & { ts: string; body: string | null }> = [];
  let cursor = q.before ?? Number.MAX_SAFE_INTEGER;
  let scanned = 0;
  const viewer = viewerOf(caller);
  // Hidden events are skipped, so a page may need a few reads; bounded to keep a call cheap.
  while (out.length < q.limit && scanned < 2000) {
    const rows = eventsBefore(db, cursor, q, q.limit + 1);
    if (rows.length === 0) break;
    scanned += rows.length;
    for (const e of rows) {
      cursor = e.seq;
      if (!canSee(viewer, e)) continue;
      const body = e.body !== null && SHOWN_BODIES.has(e.kind) ? await codec.open(bodyField(e.kind), e.body) : null;
      const { title: _t, action: _a, ...data } = e.data;
      out.push({ ...e, data, body, ts: new Date(e.ts).toISOString() });
      if (out.length === q.limit) break;
    }
    if (rows.length <= q.limit) break;
  }
  // Every kind in the log, for the filter: asked for once by the page, which adds new ones it sees live.
  const kinds = q.kinds ? eventKinds(db) : undefined;
  return { events: out, next_before: anyEventBefore(db, cursor, q) ? cursor : null, ...(kinds ? { kinds } : {}) };
}
