import { requireJoined } from "./agents";
import { cursorOf, markPortalRead } from "./cursors";
import { fail } from "./errors";
import { appendEvent, type RoomEvent, toEvent } from "./events";
import type { Db } from "./sql";

/** A direct channel between two agents; each agent has at most one open portal, on either side. */
export interface PortalRow {
  id: number;
  opener: string;
  target: string;
  opened_at: number;
  closed_at: number | null;
  closed_by: string | null;
}

export interface PortalView {
  id: string;
  with: string;
  opened_by: string;
  opened_at: string;
}

export const portalId = (id: number) => `portal-${String(id).padStart(3, "0")}`;
const other = (p: PortalRow, agent: string) => (p.opener === agent ? p.target : p.opener);

export function viewPortal(p: PortalRow, agent: string): PortalView {
  return { id: portalId(p.id), with: other(p, agent), opened_by: p.opener, opened_at: new Date(p.opened_at).toISOString() };
}

export function openPortalOf(db: Db, agent: string): PortalRow | undefined {
  return db.one<PortalRow>(
    "SELECT * FROM portals WHERE closed_at IS NULL AND (opener = ? OR target = ?) ORDER BY id LIMIT 1",
    agent,
    agent,
  );
}

function requirePortal(db: Db, agent: string): PortalRow {
  const p = openPortalOf(db, agent);
  if (!p) fail("portal_error", `${agent} has no open portal; open one with masc_portal_open(agent_name, target_agent)`, { agent });
  return p;
}

/** Opens a portal; opening again to the same agent is a no-op that returns the open one. */
export function openPortal(db: Db, now: number, agent: string, target: string): { portal: PortalRow; created: boolean } {
  requireJoined(db, agent);
  if (agent === target) fail("portal_error", "target_agent is yourself; open a portal to another agent", { agent });
  requireJoined(db, target);
  const mine = openPortalOf(db, agent);
  if (mine) {
    if (other(mine, agent) === target) return { portal: mine, created: false };
    fail("portal_error", `${agent} already has an open portal with ${other(mine, agent)}; close it with masc_portal_close first`, {
      portal_id: portalId(mine.id),
      with: other(mine, agent),
    });
  }
  const theirs = openPortalOf(db, target);
  if (theirs) {
    fail("portal_error", `${target} is busy in a portal with ${other(theirs, target)}; try later or masc_broadcast "@${target} …"`, {
      target,
      with: other(theirs, target),
    });
  }
  const row = db.one<PortalRow>("INSERT INTO portals (opener, target, opened_at) VALUES (?, ?, ?) RETURNING *", agent, target, now);
  if (!row) fail("conflict", "the portal could not be stored; retry");
  appendEvent(db, now, { kind: "portal_opened", actor: agent, target, data: { portal_id: portalId(row.id), from: agent, to: target } });
  return { portal: row, created: true };
}

/** Sends sealed text to the other side of the agent's open portal. */
export function sendPortal(db: Db, now: number, agent: string, body: string): { seq: number; to: string; portal_id: string } {
  requireJoined(db, agent);
  const p = requirePortal(db, agent);
  const to = other(p, agent);
  const seq = appendEvent(db, now, { kind: "portal_message", actor: agent, target: to, body, data: { portal_id: portalId(p.id) } });
  return { seq, to, portal_id: portalId(p.id) };
}

export function closePortal(db: Db, now: number, agent: string, why = "closed"): PortalRow {
  const p = requirePortal(db, agent);
  db.run("UPDATE portals SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL", now, agent, p.id);
  appendEvent(db, now, { kind: "portal_closed", actor: agent, target: other(p, agent), data: { portal_id: portalId(p.id), reason: why } });
  return p;
}

const PENDING_LIMIT = 50;

/** The open portal and the portal messages to `agent` not yet shown to it; showing marks them read. */
export function portalStatus(db: Db, agent: string): { portal: PortalRow | undefined; pending: RoomEvent[]; more: boolean } {
  requireJoined(db, agent);
  const c = cursorOf(db, agent);
  const rows = db.all<Parameters<typeof toEvent>[0]>(
    "SELECT * FROM events WHERE kind = 'portal_message' AND target = ? AND seq > ? ORDER BY seq LIMIT ?",
    agent,
    Math.max(c.read_seq, c.portal_read_seq),
    PENDING_LIMIT + 1,
  );
  const pending = rows.slice(0, PENDING_LIMIT).map(toEvent);
  const last = pending.at(-1);
  if (last) markPortalRead(db, agent, last.seq);
  return { portal: openPortalOf(db, agent), pending, more: rows.length > PENDING_LIMIT };
}

/** Closes the agent's portal when it leaves or turns zombie. */
export function closePortalsOf(db: Db, now: number, agent: string, why: string): string[] {
  const p = openPortalOf(db, agent);
  if (!p) return [];
  closePortal(db, now, agent, why);
  return [portalId(p.id)];
}
