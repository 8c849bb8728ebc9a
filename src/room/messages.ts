import { getAgent, requireJoined } from "./agents";
import { allCursors, cursorOf, markRead } from "./cursors";
import { appendEvent, lastSeq, type RoomEvent, toEvent } from "./events";
import { forAgentSql, isFor } from "./push";
import type { Db } from "./sql";
import { threadOf } from "./threads";
import { type Viewer, visibleSql } from "./visibility";

/** Event kinds that are messages between agents: they count as unread and wake masc_listen. */
export const MESSAGE_KINDS = ["broadcast", "portal_message"] as const;
export const MAX_MESSAGE = 8000;

export interface Sent {
  seq: number;
  target: string | null;
  mentions: string[];
  /** Named agents that are not in the room, most likely typos. */
  unknown_mentions: string[];
  thread: number | null;
}

/**
 * Stores a broadcast; `body` is already sealed, `mentions` parsed from the plain text. A reply
 * (`replyTo`) joins the thread of the broadcast it answers.
 */
export function broadcast(db: Db, now: number, agent: string, body: string, mentions: string[], replyTo?: number): Sent {
  requireJoined(db, agent);
  const target = mentions[0] ?? null;
  const thread = replyTo === undefined ? null : threadOf(db, replyTo);
  const data = thread === null ? { mentions } : { mentions, reply_to: replyTo, thread };
  const seq = appendEvent(db, now, { kind: "broadcast", actor: agent, target, body, data });
  if (thread !== null) db.run("UPDATE events SET thread = ? WHERE seq = ?", thread, seq);
  const unknown = mentions.filter((m) => !m.startsWith("@") && (getAgent(db, m)?.status ?? "left") === "left");
  return { seq, target, mentions, unknown_mentions: unknown, thread };
}

export interface Unread {
  count: number;
  mentions: number;
}

const UNREAD_CAP = 1000;

/** Messages for `agent` it has not fetched yet (capped, so a long-absent agent stays cheap). */
export function unreadFor(db: Db, agent: string): Unread {
  const c = cursorOf(db, agent);
  const f = forAgentSql(agent);
  const row = db.one<{ n: number; m: number | null }>(
    `SELECT COUNT(*) AS n, SUM(target IS NOT NULL) AS m FROM (
       SELECT e.target FROM events e
       WHERE e.kind IN ('broadcast', 'portal_message') AND e.seq > ? AND (e.actor IS NULL OR e.actor != ?) AND ${f.sql}
         AND (e.kind = 'broadcast' OR e.seq > ?)
       LIMIT ${UNREAD_CAP})`,
    c.read_seq,
    agent,
    ...f.params,
    c.portal_read_seq,
  );
  return { count: row?.n ?? 0, mentions: row?.m ?? 0 };
}

/** An unread count and what it was counted against, so the next count can start where it ended. */
export interface UnreadTally extends Unread {
  /** The room's last seq when counted. */
  upTo: number;
  read_seq: number;
  portal_read_seq: number;
}

/**
 * unreadFor for an agent in the room (null otherwise), counted onto `prev` when the agent's read
 * cursors have not moved since: only events after `prev.upTo` are looked at, so an agent that
 * never reads does not recount its whole backlog on every call. One statement, usually.
 */
export function unreadTally(db: Db, agent: string, prev?: UnreadTally): UnreadTally | null {
  const row = tallyRow(db, agent, prev?.upTo ?? 0);
  if (!row || row.status === "left") return null;
  if (row.read_seq === null || row.portal_read_seq === null) {
    cursorOf(db, agent);
    return unreadTally(db, agent);
  }
  const cursors = { read_seq: row.read_seq, portal_read_seq: row.portal_read_seq };
  const same = prev !== undefined && prev.read_seq === cursors.read_seq && prev.portal_read_seq === cursors.portal_read_seq;
  if (prev !== undefined && !same) return unreadTally(db, agent);
  const base = same ? prev : { count: 0, mentions: 0, upTo: 0 };
  return {
    count: Math.min(UNREAD_CAP, base.count + row.n),
    mentions: Math.min(UNREAD_CAP, base.mentions + (row.m ?? 0)),
    upTo: Math.max(base.upTo, row.last ?? 0),
    ...cursors,
  };
}

interface TallyRow {
  status: string;
  read_seq: number | null;
  portal_read_seq: number | null;
  last: number | null;
  n: number;
  m: number | null;
}

/** The agent's status and cursors, and its unread messages after max(`after`, its read cursor). */
function tallyRow(db: Db, agent: string, after: number): TallyRow | undefined {
  const f = forAgentSql(agent);
  return db.one<TallyRow>(
    `SELECT a.status, c.read_seq, c.portal_read_seq, (SELECT MAX(seq) FROM events) AS last, u.n, u.m
     FROM agents a LEFT JOIN agent_cursors c ON c.agent = a.name,
       (SELECT COUNT(*) AS n, SUM(target IS NOT NULL) AS m FROM (
          SELECT e.target FROM agent_cursors cc, events e
          WHERE cc.agent = ? AND e.kind IN ('broadcast', 'portal_message') AND e.seq > MAX(?, cc.read_seq)
            AND (e.actor IS NULL OR e.actor != ?) AND ${f.sql}
            AND (e.kind = 'broadcast' OR e.seq > cc.portal_read_seq)
          LIMIT ${UNREAD_CAP})) u
     WHERE a.name = ?`,
    agent,
    after,
    agent,
    ...f.params,
    agent,
  );
}

export interface MessagePage {
  events: RoomEvent[];
  has_more: boolean;
  next_seq: number;
}

/**
 * Room history of broadcasts after `since`, plus the portal messages `reader` sent or received.
 * Fetching it marks the page read for the reader.
 */
export function messagePage(db: Db, opts: { since: number; limit: number; reader: string | null; viewer: Viewer }): MessagePage {
  const v = visibleSql(opts.viewer);
  const rows = db.all<Parameters<typeof toEvent>[0]>(
    `SELECT * FROM events e WHERE e.seq > ?
       AND (e.kind = 'broadcast' OR (e.kind = 'portal_message' AND (e.target = ? OR e.actor = ?))) AND ${v.sql}
     ORDER BY e.seq LIMIT ?`,
    opts.since,
    opts.reader ?? "",
    opts.reader ?? "",
    ...v.params,
    opts.limit + 1,
  );
  const events = rows.slice(0, opts.limit).map(toEvent);
  const has_more = rows.length > opts.limit;
  const next_seq = has_more ? (events.at(-1)?.seq ?? opts.since) : Math.max(opts.since, events.at(-1)?.seq ?? 0);
  if (opts.reader && requireJoinedQuiet(db, opts.reader) && events.length > 0) markRead(db, opts.reader, events.at(-1)?.seq ?? 0);
  return { events, has_more, next_seq };
}

/** The newest broadcasts and the reader's portal messages, oldest first; reading them marks nothing. */
export function latestMessages(db: Db, reader: string | null, limit: number, viewer: Viewer): RoomEvent[] {
  const v = visibleSql(viewer);
  return db
    .all<Parameters<typeof toEvent>[0]>(
      `SELECT * FROM events e WHERE (e.kind = 'broadcast' OR (e.kind = 'portal_message' AND (e.target = ? OR e.actor = ?))) AND ${v.sql}
       ORDER BY e.seq DESC LIMIT ?`,
      reader ?? "",
      reader ?? "",
      ...v.params,
      limit,
    )
    .map(toEvent)
    .reverse();
}

export interface BroadcastFilter {
  /** Sent by this agent. */
  from?: string;
  /** Naming this agent first. */
  mention?: string;
  /** The thread's root or one of its replies, by the root's seq. */
  thread?: number;
}

export interface BroadcastPage {
  events: RoomEvent[];
  has_more: boolean;
  /** Every broadcast the filter and the viewer's visibility let through, not only this page. */
  total: number;
}

/** Broadcasts after `after` that `viewer` may see, oldest first, filtered; reading them marks nothing. */
export function broadcastPage(db: Db, opts: BroadcastFilter & { after: number; limit: number; viewer: Viewer }): BroadcastPage {
  const v = visibleSql(opts.viewer);
  const where = ["e.kind = 'broadcast'", v.sql];
  const params: (string | number)[] = [...v.params];
  if (opts.from) {
    where.push("e.actor = ?");
    params.push(opts.from);
  }
  if (opts.mention) {
    where.push("e.target = ?");
    params.push(opts.mention);
  }
  if (opts.thread !== undefined) {
    where.push("(e.seq = ? OR e.thread = ?)");
    params.push(opts.thread, opts.thread);
  }
  const base = where.join(" AND ");
  const total = db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM events e WHERE ${base}`, ...params)?.n ?? 0;
  const rows = db.all<Parameters<typeof toEvent>[0]>(
    `SELECT * FROM events e WHERE ${base} AND e.seq > ? ORDER BY e.seq LIMIT ?`,
    ...params,
    opts.after,
    opts.limit + 1,
  );
  return { events: rows.slice(0, opts.limit).map(toEvent), has_more: rows.length > opts.limit, total };
}

function requireJoinedQuiet(db: Db, agent: string): boolean {
  return (getAgent(db, agent)?.status ?? "left") !== "left";
}

export interface Receipts {
  delivered_to: string[];
  read_by: string[];
}

/** Who a message was pushed to and who fetched it, among the agents it was for. */
export function receiptsFor(db: Db, events: readonly RoomEvent[]): Map<number, Receipts> {
  const cursors = allCursors(db);
  const agents = db.all<{ name: string }>("SELECT name FROM agents WHERE status != 'left' ORDER BY name").map((a) => a.name);
  const out = new Map<number, Receipts>();
  for (const e of events) {
    const recipients = agents.filter((a) => a !== e.actor && isFor(e, a));
    const seen = (a: string, read: boolean) => {
      const c = cursors.get(a);
      if (!c) return false;
      const r = e.kind === "portal_message" ? Math.max(c.read_seq, c.portal_read_seq) : c.read_seq;
      return read ? r >= e.seq : Math.max(r, c.delivered_seq) >= e.seq;
    };
    out.set(e.seq, { delivered_to: recipients.filter((a) => seen(a, false)), read_by: recipients.filter((a) => seen(a, true)) });
  }
  return out;
}

export type ListenScope = "messages" | "all";

/** Whether an event should wake (and be returned by) `agent`'s masc_listen. */
export function listenMatches(e: RoomEvent, agent: string, scope: ListenScope): boolean {
  if (e.actor === agent || !isFor(e, agent)) return false;
  return scope === "all" || (MESSAGE_KINDS as readonly string[]).includes(e.kind) || e.target === agent;
}

export interface ListenBatch {
  events: RoomEvent[];
  /** Pass as `since` next time; everything up to it was returned or was not for the agent. */
  next_since: number;
  has_more: boolean;
}

function listenRows(db: Db, agent: string, since: number, scope: ListenScope, limit: number) {
  const f = forAgentSql(agent);
  return db.all<Parameters<typeof toEvent>[0]>(
    `SELECT * FROM events e WHERE e.seq > ? AND (e.actor IS NULL OR e.actor != ?) AND ${f.sql}
       AND (? = 'all' OR e.kind IN ('broadcast', 'portal_message') OR e.target = ?)
     ORDER BY e.seq LIMIT ?`,
    since,
    agent,
    ...f.params,
    scope,
    agent,
    limit,
  );
}

/** Whether masc_listen would return something now; unlike listenBatch, marks nothing read. */
export function hasListenMatch(db: Db, agent: string, since: number, scope: ListenScope): boolean {
  return listenRows(db, agent, since, scope, 1).length > 0;
}

/**
 * What masc_listen returns right away: events for `agent` after `since`, mentions of it first.
 * Fetching them marks them read.
 */
export function listenBatch(db: Db, agent: string, since: number, scope: ListenScope, limit: number): ListenBatch {
  const rows = listenRows(db, agent, since, scope, limit + 1);
  const events = rows.slice(0, limit).map(toEvent);
  const has_more = rows.length > limit;
  const next_since = has_more ? (events.at(-1)?.seq ?? since) : Math.max(since, lastSeq(db));
  if (next_since > since) markRead(db, agent, next_since);
  const mentioned = (e: RoomEvent) => (e.target !== null ? 0 : 1);
  events.sort((a, b) => mentioned(a) - mentioned(b) || a.seq - b.seq);
  return { events, next_since, has_more };
}
