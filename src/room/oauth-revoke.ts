import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Role } from "./permissions";
import type { Db } from "./sql";

/**
 * Every way an OAuth sign-in or invite ends besides expiry: an admin withdraws an invite or
 * revokes an agent, auth is disabled, or the Worker saw the grant die at the token endpoint
 * (the client revoked it, a refresh token was reused, a code was replayed). Each appends
 * `auth_oauth_revoked`, so what the grant opened (sockets, streams, sessions) is closed.
 */

/** Why the Worker ended a grant: what it saw at the token endpoint (decision 0035). */
export const GRANT_ENDS = ["client_revoked", "refresh_reused", "code_replayed", "grant_gone"] as const;
export type GrantEnd = (typeof GRANT_ENDS)[number];

export const INVITE_ID_RE = /^[A-Za-z0-9_-]{12}$/;

/** Ends one grant; false when it was unknown or already ended (nothing changes then). */
export function endGrant(db: Db, now: number, id: string, reason: GrantEnd): boolean {
  if (!(GRANT_ENDS as readonly string[]).includes(reason)) fail("invalid_input", `reason must be one of ${GRANT_ENDS.join(", ")}`);
  return db.tx(() => {
    const row = db.one<{ agent: string }>("SELECT agent FROM oauth_grants WHERE id = ? AND revoked_at IS NULL", id);
    if (!row) return false;
    db.run("UPDATE oauth_grants SET revoked_at = ? WHERE id = ?", now, id);
    appendEvent(db, now, { kind: "auth_oauth_revoked", actor: null, data: { agent: row.agent, revoked: 1, reason } });
    return true;
  });
}

/** Withdraws the unused, unexpired invites of one agent (or of everyone, when agent is null). */
export function withdrawInvites(db: Db, now: number, agent: string | null): number {
  const open = "used_at IS NULL AND revoked_at IS NULL AND expires_at > ?";
  const n =
    agent === null
      ? db.run(`UPDATE oauth_invites SET revoked_at = ? WHERE ${open}`, now, now)
      : db.run(`UPDATE oauth_invites SET revoked_at = ? WHERE agent = ? AND ${open}`, now, agent, now);
  if (n > 0) appendEvent(db, now, { kind: "auth_invite_revoked", actor: null, data: { agent, revoked: n } });
  return n;
}

/** Withdraws one invite of an agent, named by its id (masc_auth_list shows it); 0 when it had already ended. */
export function withdrawInvite(db: Db, now: number, agent: string, id: string): number {
  return db.tx(() => {
    const row = db.one<{ used_at: number | null; revoked_at: number | null; expires_at: number }>(
      "SELECT used_at, revoked_at, expires_at FROM oauth_invites WHERE id = ? AND agent = ?",
      id,
      agent,
    );
    if (!row) fail("not_found", `invite_id ${id} names no invite of ${agent} in this room; masc_auth_list shows the invites`);
    if (row.used_at !== null)
      fail("conflict", `invite ${id} was already used; end the sign-in it became with masc_auth_revoke(agent_name) alone`);
    if (row.revoked_at !== null || row.expires_at <= now) return 0;
    db.run("UPDATE oauth_invites SET revoked_at = ? WHERE id = ?", now, id);
    appendEvent(db, now, { kind: "auth_invite_revoked", actor: null, data: { agent, revoked: 1 } });
    return 1;
  });
}

interface InviteRow {
  id: string;
  agent: string;
  role: Role;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

function inviteState(row: InviteRow, now: number): "used" | "revoked" | "expired" | "pending" {
  if (row.used_at !== null) return "used";
  if (row.revoked_at !== null) return "revoked";
  return row.expires_at <= now ? "expired" : "pending";
}

/** Invites the alarm has not dropped yet: id, agent, role, expiry and state (never the secret). */
export function listInvites(db: Db, now: number) {
  return db.all<InviteRow>("SELECT * FROM oauth_invites ORDER BY created_at").map((row) => ({
    id: row.id,
    agent: row.agent,
    role: row.role,
    expires_at: new Date(row.expires_at).toISOString(),
    state: inviteState(row, now),
  }));
}

/** Disabling auth ends every OAuth sign-in and withdraws every unused invite, like every token. */
export function endAllOAuth(db: Db, now: number): { grants: number; invites: number } {
  const grants = db.run("UPDATE oauth_grants SET revoked_at = ? WHERE revoked_at IS NULL", now);
  if (grants > 0) appendEvent(db, now, { kind: "auth_oauth_revoked", actor: null, data: { agent: null, revoked: grants } });
  return { grants, invites: withdrawInvites(db, now, null) };
}
