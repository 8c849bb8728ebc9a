import { randomPart, sameDigest, sha256 } from "./auth";
import { appendEvent } from "./events";
import { ROLES, type Role } from "./permissions";
import type { Db } from "./sql";

/**
 * The room's half of OAuth sign-in: invites an admin mints (one-time, short-lived) and the grants
 * a consent turns them into. The Worker validates access tokens (workers-oauth-provider) and tells
 * the room the grant's props in `x-masc-oauth`; the room decides whether that grant still holds.
 */

export const DEFAULT_INVITE_MINUTES = 60;
const MINUTE_MS = 60_000;
const INVITE_RE = /^masc_invite_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** What a grant's access tokens carry: room, agent, role and the room's grant id. */
export interface OAuthProps {
  room: string;
  agent: string;
  role: Role;
  grant: string;
  /** When the access token expires (ms since the epoch), as the Worker validated it. */
  expires_at?: number;
}

interface InviteRow {
  id: string;
  hash: string;
  agent: string;
  role: Role;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

interface GrantRow {
  id: string;
  agent: string;
  role: Role;
  client: string;
  via: string;
  created_at: number;
  revoked_at: number | null;
}

export type InviteCheck = { ok: true; agent: string; role: Role; expires_at: number } | { ok: false; reason: string };

export async function createInvite(db: Db, now: number, agent: string, role: Role, minutes: number, by: string | null) {
  const id = randomPart(9);
  const secret = randomPart();
  const hash = await sha256(secret);
  const expires_at = now + minutes * MINUTE_MS;
  db.tx(() => {
    db.run(
      "INSERT INTO oauth_invites (id, hash, agent, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      hash,
      agent,
      role,
      now,
      expires_at,
    );
    appendEvent(db, now, { kind: "auth_invite_created", actor: by, data: { agent, role, expires_at } });
  });
  return { invite: `masc_invite_${id}_${secret}`, expires_at };
}

async function findInvite(db: Db, code: string): Promise<InviteRow | null> {
  const m = INVITE_RE.exec(code.trim());
  if (!m?.[1] || !m[2]) return null;
  const row = db.one<InviteRow>("SELECT * FROM oauth_invites WHERE id = ?", m[1]);
  return row && sameDigest(await sha256(m[2]), row.hash) ? row : null;
}

function refusal(row: InviteRow | null, now: number): string | null {
  if (!row) return "that invite is not valid for this room";
  if (row.revoked_at !== null) return "that invite was withdrawn by an admin; ask for a new one (masc_auth_invite)";
  if (row.used_at !== null) return "that invite was already used; ask an admin for a new one (masc_auth_invite)";
  if (row.expires_at <= now) return `that invite expired at ${new Date(row.expires_at).toISOString()}; ask an admin for a new one`;
  return null;
}

/** Whether an invite would be accepted, without using it: the consent page shows its agent and role. */
export async function inspectInvite(db: Db, now: number, code: string): Promise<InviteCheck> {
  const row = await findInvite(db, code);
  const reason = refusal(row, now);
  if (reason || !row) return { ok: false, reason: reason ?? "invalid invite" };
  return { ok: true, agent: row.agent, role: row.role, expires_at: row.expires_at };
}

function insertGrant(db: Db, now: number, agent: string, role: Role, client: string, via: string): string {
  const id = randomPart(12);
  db.run(
    "INSERT INTO oauth_grants (id, agent, role, client, via, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    id,
    agent,
    role,
    client,
    via,
    now,
  );
  appendEvent(db, now, { kind: "auth_oauth_granted", actor: null, data: { agent, role, via } });
  return id;
}

export type Redeemed = { ok: true; grant: string; agent: string; role: Role } | { ok: false; reason: string };

/**
 * Uses an invite and records the grant it becomes, in one transaction guarded on the invite being
 * unused, so two consents racing with one invite cannot both get a grant.
 */
export async function redeemInvite(db: Db, now: number, code: string, client: string): Promise<Redeemed> {
  const row = await findInvite(db, code);
  return db.tx((): Redeemed => {
    const reason = refusal(row, now);
    if (reason || !row) return { ok: false, reason: reason ?? "invalid invite" };
    if (db.run("UPDATE oauth_invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL", now, row.id) !== 1)
      return { ok: false, reason: "that invite was already used; ask an admin for a new one (masc_auth_invite)" };
    const grant = insertGrant(db, now, row.agent, row.role, client, "invite");
    db.run("UPDATE oauth_invites SET grant_id = ? WHERE id = ?", grant, row.id);
    return { ok: true, grant, agent: row.agent, role: row.role };
  });
}

/** A grant the deploy's owner approved on the consent page (the Worker checked the secret). */
export function ownerGrant(db: Db, now: number, agent: string, role: Role, client: string): string {
  return db.tx(() => insertGrant(db, now, agent, role, client, "owner"));
}

export function grantActive(db: Db, id: string): boolean {
  return db.one<{ n: number }>("SELECT COUNT(*) AS n FROM oauth_grants WHERE id = ? AND revoked_at IS NULL", id)?.n === 1;
}

export function revokeGrants(db: Db, now: number, agent: string): number {
  const n = db.run("UPDATE oauth_grants SET revoked_at = ? WHERE agent = ? AND revoked_at IS NULL", now, agent);
  if (n > 0) appendEvent(db, now, { kind: "auth_oauth_revoked", actor: null, data: { agent, revoked: n } });
  return n;
}

export function listGrants(db: Db) {
  return db.all<GrantRow>("SELECT * FROM oauth_grants ORDER BY created_at").map((g) => ({
    agent: g.agent,
    role: g.role,
    client: g.client,
    via: g.via,
    created_at: new Date(g.created_at).toISOString(),
    active: g.revoked_at === null,
  }));
}

/** Reads the Worker's `x-masc-oauth` header; null when it is not well-formed props. */
export function parseProps(raw: string): OAuthProps | null {
  try {
    const p = JSON.parse(raw) as Partial<OAuthProps>;
    const ok =
      typeof p.room === "string" &&
      typeof p.agent === "string" &&
      typeof p.grant === "string" &&
      typeof p.role === "string" &&
      (ROLES as readonly string[]).includes(p.role);
    return ok ? (p as OAuthProps) : null;
  } catch {
    return null;
  }
}

export type OAuthCheck = { ok: true; agent: string; role: Role; grant: string; expires_at?: number } | { ok: false; message: string };

/** The room's own check of a Worker-validated OAuth grant: this room, and not revoked. */
export function checkGrant(db: Db, room: string, raw: string): OAuthCheck {
  const props = parseProps(raw);
  if (!props) return { ok: false, message: "the OAuth grant is malformed; sign in again" };
  if (props.room !== room) return { ok: false, message: `this access token is for room ${props.room}, not ${room}; sign in to this room` };
  // The room's own row decides agent and role; the props only name it.
  const row = db.one<GrantRow>("SELECT * FROM oauth_grants WHERE id = ?", props.grant);
  if (!row || row.agent !== props.agent) return { ok: false, message: "the OAuth grant is not known to this room; sign in again" };
  if (row.revoked_at !== null)
    return { ok: false, message: `the OAuth grant of ${row.agent} was revoked; sign in again with a new invite` };
  const expires = typeof props.expires_at === "number" && Number.isFinite(props.expires_at) ? { expires_at: props.expires_at } : {};
  return { ok: true, agent: row.agent, role: row.role, grant: row.id, ...expires };
}

/** When the next invite expires (the alarm then drops it), or null when none is waiting. */
export function nextInviteExpiry(db: Db): number | null {
  return db.one<{ at: number }>("SELECT expires_at AS at FROM oauth_invites ORDER BY expires_at LIMIT 1")?.at ?? null;
}

/** Expired invites, used or not, are of no further use: a grant keeps who signed in and how. */
export function dropExpiredInvites(db: Db, now: number): number {
  return db.run("DELETE FROM oauth_invites WHERE expires_at <= ?", now);
}
