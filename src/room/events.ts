import type { TextCodec } from "./codec";
import type { Db } from "./sql";

/** One row of the room's event log; `seq` is the single cursor for every kind of push and paging. */
export interface RoomEvent {
  seq: number;
  ts: number;
  kind: string;
  actor: string | null;
  target: string | null;
  body: string | null;
  data: Record<string, unknown>;
}

export interface NewEvent {
  kind: string;
  actor?: string | null;
  target?: string | null;
  body?: string | null;
  data?: Record<string, unknown>;
}

/** As stored: `data` is JSON text. */
type EventRow = Omit<RoomEvent, "data"> & { data: string };

/** The newest seq appendEvent handed out per Db, so a flush after a call that appended nothing skips its query. */
const newest = new WeakMap<Db, number>();

/** Whether events after `seq` may exist: false only when none was appended through appendEvent since. */
export function appendedAfter(db: Db, seq: number): boolean {
  return (newest.get(db) ?? Number.POSITIVE_INFINITY) > seq;
}

/**
 * Moves whenever an agent's unread count may have changed: a message or an agent's arrival or
 * departure appended, a read cursor moved. An unread count taken at the same epoch still holds,
 * so most calls skip recounting.
 */
const unreadEpochs = new WeakMap<Db, number>();

export function unreadEpoch(db: Db): number {
  return unreadEpochs.get(db) ?? 0;
}

export function touchUnread(db: Db): void {
  unreadEpochs.set(db, unreadEpoch(db) + 1);
}

const touchesUnread = (kind: string) => kind === "broadcast" || kind === "portal_message" || kind.startsWith("agent_");

export function appendEvent(db: Db, now: number, e: NewEvent): number {
  if (touchesUnread(e.kind)) touchUnread(db);
  const row = db.one<{ seq: number }>(
    "INSERT INTO events (ts, kind, actor, target, body, data) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
    now,
    e.kind,
    e.actor ?? null,
    e.target ?? null,
    e.body ?? null,
    JSON.stringify(e.data ?? {}),
  );
  // A rolled-back append leaves this ahead of the log, which only costs the next flush a query.
  if (row) newest.set(db, Math.max(newest.get(db) ?? 0, row.seq));
  return row?.seq ?? 0;
}

export function lastSeq(db: Db): number {
  return db.one<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events")?.seq ?? 0;
}

export function eventsAfter(db: Db, afterSeq: number, limit = 500): RoomEvent[] {
  return db
    .all<EventRow>("SELECT seq, ts, kind, actor, target, body, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
    .map(toEvent);
}

/**
 * The first seq at or after time `t`, by binary search over the primary key: events are appended in
 * time order, so a time window is a seq range and a reader never scans the whole log (no ts index).
 */
export function firstSeqAt(db: Db, t: number): number {
  const bounds = db.one<{ lo: number | null; hi: number | null }>("SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM events");
  let lo = bounds?.lo ?? 0;
  let hi = (bounds?.hi ?? 0) + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const at = db.one<{ seq: number; ts: number }>("SELECT seq, ts FROM events WHERE seq >= ? ORDER BY seq LIMIT 1", mid);
    if (!at || at.ts >= t) hi = mid;
    else lo = at.seq + 1;
  }
  return lo;
}

/** Events of every kind per bucket of `bucketMs` from `from`, `buckets` of them; an empty bucket is zero. */
export function eventsPerBucket(db: Db, from: number, bucketMs: number, buckets: number): number[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const r of db.all<{ b: number; n: number }>(
    "SELECT CAST((ts - ?) / ? AS INTEGER) AS b, COUNT(*) AS n FROM events WHERE seq >= ? AND ts >= ? GROUP BY b",
    from,
    bucketMs,
    firstSeqAt(db, from),
    from,
  )) {
    if (r.b >= 0 && r.b < buckets) counts[r.b] = r.n;
  }
  return counts;
}

/** Who an event is by or for, and its kind; null matches any. */
export interface EventFilter {
  agent: string | null;
  kind: string | null;
}

const FILTER = "seq < ? AND (? IS NULL OR actor = ? OR target = ?) AND (? IS NULL OR kind = ?)";
const filterArgs = (before: number, f: EventFilter) => [before, f.agent, f.agent, f.agent, f.kind, f.kind];

/** Events before seq `before`, newest first, by the filter's agent (as actor or target) and of its kind. */
export function eventsBefore(db: Db, before: number, filter: EventFilter, limit: number): RoomEvent[] {
  return db
    .all<EventRow>(`SELECT * FROM events WHERE ${FILTER} ORDER BY seq DESC LIMIT ?`, ...filterArgs(before, filter), limit)
    .map(toEvent);
}

/** Whether any event before seq `before` passes the filter. */
export function anyEventBefore(db: Db, before: number, filter: EventFilter): boolean {
  return (
    (db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE ${FILTER} LIMIT 1)`, ...filterArgs(before, filter))?.n ??
      0) > 0
  );
}

/** Every kind of event in the log, by name. */
export function eventKinds(db: Db): string[] {
  return db.all<{ kind: string }>("SELECT DISTINCT kind FROM events ORDER BY kind").map((r) => r.kind);
}

/** When the oldest event still in the log happened, or null when there is none. */
export function firstEventAt(db: Db): number | null {
  return db.one<{ ts: number | null }>("SELECT MIN(ts) AS ts FROM events")?.ts ?? null;
}

/** The newest event of `kind` for each task its data names (`task_id`). */
export function latestPerTask(db: Db, kind: string): RoomEvent[] {
  return db
    .all<EventRow>(
      `SELECT * FROM events WHERE seq IN (
         SELECT MAX(seq) FROM events WHERE kind = ? GROUP BY json_extract(data, '$.task_id'))`,
      kind,
    )
    .map(toEvent);
}

/** Only the event's own fields: index columns such as `thread` stay out of what is pushed and shown. */
export function toEvent(row: EventRow): RoomEvent {
  const { seq, ts, kind, actor, target, body } = row;
  return { seq, ts, kind, actor, target, body, data: JSON.parse(row.data) as Record<string, unknown> };
}

/** Codec field each kind's body is sealed under; kinds not listed carry no private text. */
const BODY_FIELDS: Record<string, string> = {
  broadcast: "message",
  progress: "message",
  portal_message: "portal",
  interrupt_approved: "interrupt",
  interrupt_rejected: "interrupt",
};

/** Event `data` keys that repeat private text (task titles, interrupt actions), and the field they are sealed under. */
export const DATA_FIELDS: Readonly<Record<string, string>> = { title: "task", action: "interrupt" };

export function bodyField(kind: string): string {
  return BODY_FIELDS[kind] ?? "event";
}

/** The event with its body opened (bodies may be sealed at rest). */
export async function openEvent(codec: TextCodec, event: RoomEvent): Promise<RoomEvent> {
  let data = event.data;
  for (const [key, field] of Object.entries(DATA_FIELDS)) {
    const v = data[key];
    if (typeof v === "string") data = { ...data, [key]: await codec.open(field, v) };
  }
  const body = event.body === null ? null : await codec.open(bodyField(event.kind), event.body);
  return { ...event, body, data };
}
