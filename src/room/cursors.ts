import { touchUnread } from "./events";
import type { Db } from "./sql";

/**
 * Per-agent read receipts over the event log. `delivered_seq`: everything for the agent up to it
 * was pushed to one of its live sessions or sockets. `read_seq`: the agent fetched its messages up
 * to it (masc_messages, masc_listen). `portal_read_seq`: portal messages up to it were shown by
 * masc_portal_status, which must not mark broadcasts read.
 */
export interface Cursor {
  agent: string;
  delivered_seq: number;
  read_seq: number;
  portal_read_seq: number;
}

/**
 * The agent's cursor, created on first use just before the agent's first join, so a newcomer is
 * not told about every message the room ever had, but does get those sent since it joined.
 */
export function cursorOf(db: Db, agent: string): Cursor {
  const found = db.one<Cursor>("SELECT * FROM agent_cursors WHERE agent = ?", agent);
  if (found) return found;
  const joined = db.one<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM events WHERE kind = 'agent_joined' AND actor = ?", agent)?.seq;
  const start = joined == null ? (db.one<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events")?.seq ?? 0) : joined - 1;
  touchUnread(db);
  db.run(
    "INSERT INTO agent_cursors (agent, delivered_seq, read_seq, portal_read_seq) VALUES (?, ?, ?, ?) ON CONFLICT (agent) DO NOTHING",
    agent,
    start,
    start,
    start,
  );
  return { agent, delivered_seq: start, read_seq: start, portal_read_seq: start };
}

/** Cursors only move forward. */
export function markRead(db: Db, agent: string, seq: number): void {
  cursorOf(db, agent);
  touchUnread(db);
  db.run(
    "UPDATE agent_cursors SET read_seq = MAX(read_seq, ?), portal_read_seq = MAX(portal_read_seq, ?), delivered_seq = MAX(delivered_seq, ?) WHERE agent = ?",
    seq,
    seq,
    seq,
    agent,
  );
}

export function markPortalRead(db: Db, agent: string, seq: number): void {
  cursorOf(db, agent);
  touchUnread(db);
  db.run(
    "UPDATE agent_cursors SET portal_read_seq = MAX(portal_read_seq, ?), delivered_seq = MAX(delivered_seq, ?) WHERE agent = ?",
    seq,
    seq,
    agent,
  );
}

export function markDelivered(db: Db, agent: string, seq: number): void {
  cursorOf(db, agent);
  db.run("UPDATE agent_cursors SET delivered_seq = MAX(delivered_seq, ?) WHERE agent = ?", seq, agent);
}

/** markDelivered for many agents at once: one statement when they all have a cursor already. */
export function markDeliveredAll(db: Db, agents: ReadonlySet<string>, seq: number): void {
  if (agents.size === 0) return;
  const changed = db.run(
    "UPDATE agent_cursors SET delivered_seq = MAX(delivered_seq, ?) WHERE agent IN (SELECT value FROM json_each(?))",
    seq,
    JSON.stringify([...agents]),
  );
  if (changed < agents.size) for (const agent of agents) markDelivered(db, agent, seq);
}

/** Every cursor, for read receipts; agents without one have seen nothing yet. */
export function allCursors(db: Db): Map<string, Cursor> {
  return new Map(db.all<Cursor>("SELECT * FROM agent_cursors").map((c) => [c.agent, c]));
}
