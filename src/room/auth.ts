import { fail } from "./errors";
import { appendEvent } from "./events";
import { deleteMeta, getMeta, setMeta } from "./meta";
import { endAllOAuth } from "./oauth-revoke";
import type { Role } from "./permissions";
import type { Db } from "./sql";

/**
 * Who a request is: an agent's token, the room secret or the deploy's owner secret (admins with no
 * agent name), or an anonymous reader. `credential` names the token it came with, so revoking
 * that token can end what it opened.
 */
export interface Caller {
  agent: string | null;
  role: Role;
  /** "oauth": an access token from the OAuth sign-in, validated by the Worker (src/room/oauth.ts). */
  via: "token" | "room_secret" | "anonymous" | "owner" | "oauth";
  /** The token id (via "token") or the OAuth grant id (via "oauth"), to check it is still valid. */
  credential?: string;
  /** When the credential expires (ms since the epoch), if it does. */
  expires_at?: number;
}

/** What the Worker decided at the edge about a request (internal `x-masc-*` headers). */
export interface EdgeFacts {
  /** Came to a loopback host: the only place a room may be used without a credential. */
  loopback: boolean;
  /** Brought the deploy's owner secret (MASC_ADMIN_SECRET), checked by the Worker. */
  owner: boolean;
}

export const OWNER: Caller = { agent: null, role: "admin", via: "owner" };

export const DEFAULT_TTL_HOURS = 24;
const HOUR_MS = 3_600_000;

export function randomPart(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two equal-length hex digests without an early exit. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function authEnabled(db: Db): boolean {
  return getMeta(db, "auth_enabled") === "1";
}

export function requireToken(db: Db): boolean {
  return getMeta(db, "auth_require_token") !== "0";
}

/** Turns auth on; the returned room secret is shown once and only its hash is kept. */
export async function enableAuth(db: Db, now: number, requireTokens: boolean, by: string | null): Promise<string> {
  if (authEnabled(db)) fail("conflict", "auth is already enabled; masc_auth_disable first to issue a new room secret");
  const secret = `masc_secret_${randomPart()}`;
  const hash = await sha256(secret);
  db.tx(() => {
    setMeta(db, "auth_enabled", "1");
    setMeta(db, "auth_require_token", requireTokens ? "1" : "0");
    setMeta(db, "auth_secret_hash", hash);
    appendEvent(db, now, { kind: "auth_enabled", actor: by, data: { require_token: requireTokens } });
  });
  return secret;
}

/** Ends every credential the room issued: tokens, OAuth sign-ins and unused invites. */
export function disableAuth(db: Db, now: number, by: string | null): { tokens: number; oauth: number; invites: number } {
  if (!authEnabled(db)) fail("conflict", "auth is not enabled");
  return db.tx(() => {
    for (const key of ["auth_enabled", "auth_require_token", "auth_secret_hash"]) deleteMeta(db, key);
    const tokens = db.run("UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL", now);
    const ended = endAllOAuth(db, now);
    appendEvent(db, now, { kind: "auth_disabled", actor: by, data: {} });
    return { tokens, oauth: ended.grants, invites: ended.invites };
  });
}

interface Minted {
  id: string;
  secret: string;
  hash: string;
}

/** A token is `masc_<id>_<secret>`: the id finds the row, the secret is compared by hash. */
async function mint(): Promise<Minted> {
  const secret = randomPart();
  return { id: randomPart(9), secret, hash: await sha256(secret) };
}

/** Synchronous, so it can share a transaction with the checks that decide whether to store it. */
function store(db: Db, now: number, m: Minted, agent: string, role: Role, ttlHours: number) {
  const expires_at = now + ttlHours * HOUR_MS;
  db.run(
    "INSERT INTO tokens (id, agent, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    m.id,
    agent,
    role,
    m.hash,
    now,
    expires_at,
  );
  appendEvent(db, now, { kind: "auth_token_created", actor: null, data: { agent, role, expires_at } });
  return { token: `masc_${m.id}_${m.secret}`, expires_at };
}

export async function createToken(
  db: Db,
  now: number,
  agent: string,
  role: Role,
  ttlHours: number,
): Promise<{ token: string; expires_at: number }> {
  const m = await mint();
  return db.tx(() => store(db, now, m, agent, role, ttlHours));
}

/**
 * Swaps a token for a new one. Revoking the old one is guarded on it being unrevoked, in the same
 * transaction as the insert, so two refreshes of one token cannot both get a new one.
 */
export async function refreshToken(db: Db, now: number, old: TokenRow, ttlHours: number): Promise<{ token: string; expires_at: number }> {
  const m = await mint();
  return db.tx(() => {
    if (db.run("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, old.id) !== 1)
      fail("unauthorized", `that token of ${old.agent} was refreshed or revoked meanwhile; use the newer one`);
    return store(db, now, m, old.agent, old.role, ttlHours);
  });
}

export function revokeTokens(db: Db, now: number, agent: string): number {
  const n = db.run("UPDATE tokens SET revoked_at = ? WHERE agent = ? AND revoked_at IS NULL", now, agent);
  appendEvent(db, now, { kind: "auth_token_revoked", actor: null, data: { agent, revoked: n } });
  return n;
}

export interface TokenRow {
  id: string;
  agent: string;
  role: Role;
  hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const TOKEN_RE = /^masc_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** The token's row when it is well-formed and its secret matches (whether or not still valid). */
export async function findToken(db: Db, token: string): Promise<TokenRow | null> {
  const m = TOKEN_RE.exec(token);
  if (!m?.[1] || !m[2]) return null;
  const row = db.one<TokenRow>("SELECT * FROM tokens WHERE id = ?", m[1]);
  if (!row) return null;
  return sameDigest(await sha256(m[2]), row.hash) ? row : null;
}

/** Whom a session belongs to: one agent's tokens, the room secret, or anonymous readers. */
export function identityOf(caller: Caller | null): string | null {
  if (!caller) return null;
  return caller.via === "token" || caller.via === "oauth" ? `agent:${caller.agent}` : caller.via;
}

/** Whether the credential ran out by `now`; answered from the caller alone, so it is cheap per event. */
export function expired(caller: Caller | null | undefined, now: number): boolean {
  return caller?.expires_at !== undefined && caller.expires_at <= now;
}

/** Whether a request that held this credential would still be let in (after a revoke, refresh or auth change). */
export function stillValid(db: Db, now: number, caller: Caller | null): boolean {
  if (!caller) return !authEnabled(db);
  switch (caller.via) {
    case "owner":
      return true;
    case "room_secret":
      return authEnabled(db);
    case "anonymous":
      return authEnabled(db) && !requireToken(db);
    case "token": {
      const row = db.one<{ revoked_at: number | null; expires_at: number }>(
        "SELECT revoked_at, expires_at FROM tokens WHERE id = ?",
        caller.credential ?? "",
      );
      return !!row && row.revoked_at === null && row.expires_at > now;
    }
    case "oauth":
      return db.one("SELECT 1 AS ok FROM oauth_grants WHERE id = ? AND revoked_at IS NULL", caller.credential ?? "") !== undefined;
  }
}

export type AuthResult = { ok: true; caller: Caller | null } | { ok: false; status: 401; message: string };

/** Shorter owner secrets are treated as unset: the owner secret opens every room. */
export const MIN_OWNER_SECRET = 16;

/** The deploy's owner secret when it is set and long enough, else undefined. */
export function ownerSecretOf(raw: string | undefined): string | undefined {
  const secret = raw?.trim();
  return secret && secret.length >= MIN_OWNER_SECRET ? secret : undefined;
}

/** Whether `bearer` is the owner secret; both are hashed first so the comparison takes the same time. */
export async function isOwnerSecret(bearer: string | null, ownerSecret: string | undefined): Promise<boolean> {
  const secret = ownerSecretOf(ownerSecret);
  if (!bearer || !secret) return false;
  if (ownerHash?.secret !== secret) ownerHash = { secret, hash: await sha256(secret) };
  return sameDigest(await sha256(bearer), ownerHash.hash);
}

/** The owner secret's digest, kept for the isolate's life: a secret changes only with a new deploy. */
let ownerHash: { secret: string; hash: string } | undefined;

/**
 * Decides who an HTTP request is. The owner secret is admin everywhere. With auth off, a request
 * to a loopback host without a bearer passes as it is (caller null); a bearer is checked wherever it
 * comes, and anywhere else a credential is needed from the first request. With auth on, a valid bearer token or the room secret is needed, unless the room
 * allows anonymous readers.
 */
export async function authenticate(db: Db, now: number, bearer: string | null, edge: EdgeFacts): Promise<AuthResult> {
  if (edge.owner) return { ok: true, caller: OWNER };
  const enabled = authEnabled(db);
  // An open room still checks a bearer it is sent: a client whose token has a typo must not go on
  // believing it is the agent it names.
  if (!enabled && edge.loopback && !bearer) return { ok: true, caller: null };
  if (!bearer) {
    if (enabled && !requireToken(db)) return { ok: true, caller: { agent: null, role: "reader", via: "anonymous" } };
    return {
      ok: false,
      status: 401,
      message: enabled
        ? "this room requires a token: send Authorization: Bearer <token> (ask an admin for masc_auth_create_token)"
        : "this room is not on loopback, so it needs a credential: send Authorization: Bearer <MASC_ADMIN_SECRET or a token the owner minted>",
    };
  }
  const secretHash = getMeta(db, "auth_secret_hash");
  if (bearer.startsWith("masc_secret_")) {
    if (secretHash && sameDigest(await sha256(bearer), secretHash))
      return { ok: true, caller: { agent: null, role: "admin", via: "room_secret" } };
    return { ok: false, status: 401, message: "the room secret is wrong" };
  }
  const row = await findToken(db, bearer);
  if (!row) return { ok: false, status: 401, message: "the token is not valid for this room" };
  if (row.revoked_at !== null)
    return { ok: false, status: 401, message: `the token of ${row.agent} was revoked; ask an admin for a new one` };
  if (row.expires_at <= now)
    return {
      ok: false,
      status: 401,
      message: `the token of ${row.agent} expired at ${new Date(row.expires_at).toISOString()}; refresh it or ask an admin`,
    };
  return { ok: true, caller: { agent: row.agent, role: row.role, via: "token", credential: row.id, expires_at: row.expires_at } };
}

export function listTokens(db: Db, now: number) {
  return db.all<TokenRow>("SELECT * FROM tokens ORDER BY created_at").map((t) => ({
    agent: t.agent,
    role: t.role,
    created_at: new Date(t.created_at).toISOString(),
    expires_at: new Date(t.expires_at).toISOString(),
    revoked: t.revoked_at !== null,
    active: t.revoked_at === null && t.expires_at > now,
  }));
}
