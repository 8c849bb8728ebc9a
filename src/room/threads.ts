import { fail } from "./errors";
import { type RoomEvent, toEvent } from "./events";
import type { Db } from "./sql";
import { type Viewer, visibleSql } from "./visibility";

/**
 * The thread a reply to `seq` joins: the root broadcast's seq. Only broadcasts can be answered in
 * the room (a portal message is private to two agents; a reply would be public).
 */
export function threadOf(db: Db, seq: number): number {
  const parent = db.one<{ kind: string; thread: number | null }>("SELECT kind, thread FROM events WHERE seq = ?", seq);
  // `!parent` is implied, but spelled out so TypeScript narrows `parent` below.
  if (parent?.kind !== "broadcast" || !parent)
    fail("not_found", `reply_to ${seq} is not a broadcast in this room; pass the seq of a message from masc_messages`, { reply_to: seq });
  return parent.thread ?? seq;
}

export interface ThreadPage {
  thread: number;
  events: RoomEvent[];
  has_more: boolean;
  next_seq: number;
}

/** A thread in order: its root, then every reply, after `since`. Any message of it names the thread. */
export function threadPage(db: Db, seq: number, since: number, limit: number, viewer: Viewer): ThreadPage {
  const thread = threadOf(db, seq);
  const v = visibleSql(viewer);
  const rows = db.all<Parameters<typeof toEvent>[0]>(
    `SELECT * FROM events e WHERE (e.seq = ? OR e.thread = ?) AND e.kind = 'broadcast' AND e.seq > ? AND ${v.sql} ORDER BY e.seq LIMIT ?`,
    thread,
    thread,
    since,
    ...v.params,
    limit + 1,
  );
  const events = rows.slice(0, limit).map(toEvent);
  const has_more = rows.length > limit;
  return { thread, events, has_more, next_seq: has_more ? (events.at(-1)?.seq ?? since) : Math.max(since, events.at(-1)?.seq ?? 0) };
}
