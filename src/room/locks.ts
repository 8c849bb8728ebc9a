import { requireJoined } from "./agents";
import { fail } from "./errors";
import { appendEvent } from "./events";
import { getMeta, setMeta } from "./meta";
import type { PathCase } from "./paths";
import { type LockKind, type LockTarget, lockTarget, overlaps } from "./patterns";
import type { Db } from "./sql";

export const DEFAULT_LOCK_TTL_S = 1800;
export const MAX_LOCK_TTL_S = 86_400;

/**
 * One row per path or lease pattern ever locked, keyed by its identity (`path`, see pathKey). A
 * free lock keeps its row (holder NULL) so the fencing token, which only grows per key, survives
 * unlock and expiry.
 */
export interface LockRow {
  path: string;
  /** The spelling last locked, shown to agents; null on rows from before identities. */
  shown: string | null;
  kind: LockKind;
  prefix: string;
  holder: string | null;
  token: number;
  acquired_at: number;
  expires_at: number;
}

export interface LockView {
  file: string;
  kind: LockKind;
  holder: string;
  token: number;
  acquired_at: string;
  expires_at: string;
  expires_in_s: number;
}

const iso = (t: number) => new Date(t).toISOString();

export function viewLock(row: LockRow, now: number): LockView {
  return {
    file: row.shown ?? row.path,
    kind: row.kind,
    holder: row.holder ?? "",
    token: row.token,
    acquired_at: iso(row.acquired_at),
    expires_at: iso(row.expires_at),
    expires_in_s: Math.max(0, Math.ceil((row.expires_at - now) / 1000)),
  };
}

function getLock(db: Db, path: string): LockRow | undefined {
  return db.one<LockRow>("SELECT * FROM locks WHERE path = ?", path);
}

const held = (row: LockRow | undefined, now: number): row is LockRow & { holder: string } =>
  row !== undefined && row.holder !== null && row.expires_at > now;

/** The room's letter-case rule for lock identities (masc_init lock_case). */
export function lockCase(db: Db): PathCase {
  return getMeta(db, "lock_case") === "exact" ? "exact" : "fold";
}

/**
 * Switches the case rule. Keys of live locks would change meaning, so it is refused while any lock
 * is held; only an admin may change it once auth is on.
 */
export function setLockCase(db: Db, now: number, mode: PathCase, caller: { role: string } | null): void {
  if (lockCase(db) === mode) return;
  if (caller && caller.role !== "admin") fail("forbidden", "changing lock_case needs role admin");
  const live = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM locks WHERE holder IS NOT NULL AND expires_at > ?", now)?.n ?? 0;
  if (live > 0) fail("conflict", `lock_case cannot change while ${live} lock(s) are held; change it when masc_locks is empty`);
  setMeta(db, "lock_case", mode);
}

export function targetOf(db: Db, file: string): LockTarget {
  return lockTarget(file, lockCase(db));
}

/**
 * The first live lock or lease of someone other than `agent` whose paths overlap `key` (a file key
 * or a lease pattern), other than the row of `key` itself. Only leases can cover a file, so a file
 * scans only the live leases; a lease scans every live lock. All inside the caller's transaction.
 */
export function conflictOf(
  db: Db,
  now: number,
  agent: string | null,
  target: Pick<LockTarget, "key" | "kind" | "prefix">,
): LockRow | undefined {
  // Two files never overlap (the same file is the same row), so a file is checked against live
  // leases only. Kinds listed, not excluded, so the walk is the (kind, expires_at) index's live
  // range, not every row the room ever locked.
  const kinds = target.kind === "file" ? "'dir', 'glob'" : "'file', 'dir', 'glob'";
  const rows = db.all<LockRow>(
    `SELECT * FROM locks WHERE kind IN (${kinds}) AND expires_at > ? AND holder IS NOT NULL AND (? IS NULL OR holder != ?)
     AND path != ? AND (substr(?, 1, length(prefix)) = prefix OR substr(prefix, 1, length(?)) = ?) ORDER BY path`,
    now,
    agent,
    agent,
    target.key,
    target.prefix,
    target.prefix,
    target.prefix,
  );
  return rows.find((r) => overlaps(r.path, target.key));
}

/** Every lock checks every live lease, so one agent may hold only so many. */
export const MAX_LEASES_PER_AGENT = 50;

function refuseTooMany(db: Db, now: number, agent: string, key: string): void {
  const n =
    db.one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM locks WHERE holder = ? AND kind != 'file' AND expires_at > ? AND path != ?",
      agent,
      now,
      key,
    )?.n ?? 0;
  if (n >= MAX_LEASES_PER_AGENT)
    fail(
      "conflict",
      `${agent} already holds ${n} directory/glob leases (at most ${MAX_LEASES_PER_AGENT}); unlock some or lease a wider directory`,
    );
}

function refuseOverlap(target: LockTarget, other: LockRow & { holder: string }): never {
  const theirs = other.shown ?? other.path;
  const until = iso(other.expires_at);
  const how =
    target.kind === "file"
      ? `${target.shown} is inside ${theirs} leased by ${other.holder} until ${until}`
      : other.kind === "file"
        ? `${target.shown} covers ${theirs}, locked by ${other.holder} until ${until}`
        : `${target.shown} overlaps ${theirs}, leased by ${other.holder} until ${until}`;
  fail("lock_held", `${how}; ask ${other.holder}, wait for masc_unlock, or lock something narrower`, {
    file: target.shown,
    holder: other.holder,
    conflict: theirs,
    expires_at: until,
    token: other.token,
  });
}

/**
 * Grants a file lock or a directory/glob lease to `agent` if nothing of anyone else overlaps it.
 * Called inside the tool's transaction with no await, so the overlap check and the grant are one
 * critical section. The grant is one upsert whose WHERE refuses a live lock of someone else on the
 * same key. Re-acquiring your own live lock only extends it and keeps its token (the same grant,
 * so nothing stamped with it goes stale); every new grant gets the key's previous token + 1.
 */
export function acquireLock(
  db: Db,
  now: number,
  agent: string,
  file: string,
  ttlS = DEFAULT_LOCK_TTL_S,
): { lock: LockView; refreshed: boolean } {
  requireJoined(db, agent);
  const target = targetOf(db, file);
  return db.tx(() => {
    if (target.kind !== "file") refuseTooMany(db, now, agent, target.key);
    const other = conflictOf(db, now, agent, target);
    if (other?.holder) refuseOverlap(target, other as LockRow & { holder: string });
    const before = getLock(db, target.key);
    const expires = now + ttlS * 1000;
    const granted = db.one<LockRow>(
      `INSERT INTO locks (path, shown, kind, prefix, holder, token, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (path) DO UPDATE SET
         token = CASE WHEN locks.holder = excluded.holder AND locks.expires_at > ? THEN locks.token ELSE locks.token + 1 END,
         acquired_at = CASE WHEN locks.holder = excluded.holder AND locks.expires_at > ? THEN locks.acquired_at ELSE excluded.acquired_at END,
         holder = excluded.holder,
         shown = excluded.shown,
         kind = excluded.kind,
         prefix = excluded.prefix,
         expires_at = excluded.expires_at
       WHERE locks.holder IS NULL OR locks.expires_at <= ? OR locks.holder = excluded.holder
       RETURNING *`,
      target.key,
      target.shown,
      target.kind,
      target.prefix,
      agent,
      now,
      expires,
      now,
      now,
      now,
    );
    if (!granted) {
      const holder = before?.holder ?? "another agent";
      const until = before ? iso(before.expires_at) : "unknown";
      const shown = before?.shown ?? target.shown;
      fail("lock_held", `${shown} is locked by ${holder} until ${until}; wait for masc_unlock, ask ${holder}, or lock another file`, {
        file: shown,
        holder,
        expires_at: until,
        token: before?.token ?? null,
      });
    }
    const refreshed = held(before, now) && before.holder === agent;
    const tookOver = before && before.holder !== null && before.holder !== agent ? before.holder : null;
    appendEvent(db, now, {
      kind: refreshed ? "lock_refreshed" : "lock_acquired",
      actor: agent,
      data: {
        file: target.shown,
        ...(target.kind === "file" ? {} : { kind: target.kind }),
        token: granted.token,
        expires_at: iso(granted.expires_at),
        ...(tookOver ? { expired_holder: tookOver } : {}),
      },
    });
    return { lock: viewLock(granted, now), refreshed };
  });
}

/**
 * Only the holder unlocks; anyone else is told who holds it. `force` (an admin, e.g. a lead on
 * the dashboard freeing a stuck agent's file) releases someone else's lock, and the event says whose.
 */
export function releaseLock(db: Db, now: number, agent: string, file: string, force = false): LockView {
  requireJoined(db, agent);
  const target = targetOf(db, file);
  const row = getLock(db, target.key);
  const path = row?.shown ?? target.shown;
  if (!row || row.holder === null) fail("lock_not_held", `${path} is not locked; nothing to unlock`, { file: path });
  if (force && row.holder !== agent) {
    db.run("UPDATE locks SET holder = NULL, expires_at = ? WHERE path = ? AND holder = ?", now, row.path, row.holder);
    appendEvent(db, now, { kind: "lock_released", actor: agent, data: { file: path, token: row.token, forced_holder: row.holder } });
    return viewLock(row, now);
  }
  if (row.holder !== agent) {
    const state = row.expires_at > now ? `locked by ${row.holder} until ${iso(row.expires_at)}` : `an expired lock of ${row.holder}`;
    fail("lock_not_held", `${path} is ${state}; only the holder can unlock it`, { file: path, holder: row.holder });
  }
  db.run("UPDATE locks SET holder = NULL, expires_at = ? WHERE path = ? AND holder = ?", now, row.path, agent);
  appendEvent(db, now, { kind: "lock_released", actor: agent, data: { file: path, token: row.token } });
  return viewLock(row, now);
}

export interface LockPage {
  locks: LockView[];
  count: number;
  has_more: boolean;
  next_cursor: string | null;
}

/** Live locks ordered by path; `cursor` is the last path of the previous page. */
export function listLocks(db: Db, now: number, opts: { holder?: string; limit: number; cursor?: string }): LockPage {
  const rows = db.all<LockRow>(
    `SELECT * FROM locks WHERE holder IS NOT NULL AND expires_at > ? AND (? IS NULL OR holder = ?) AND path > ?
     ORDER BY path LIMIT ?`,
    now,
    opts.holder ?? null,
    opts.holder ?? null,
    opts.cursor ?? "",
    opts.limit + 1,
  );
  const page = rows.slice(0, opts.limit);
  const count =
    db.one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM locks WHERE holder IS NOT NULL AND expires_at > ? AND (? IS NULL OR holder = ?)",
      now,
      opts.holder ?? null,
      opts.holder ?? null,
    )?.n ?? 0;
  const more = rows.length > opts.limit;
  return { locks: page.map((r) => viewLock(r, now)), count, has_more: more, next_cursor: more ? (page.at(-1)?.path ?? null) : null };
}

/** Frees every lock whose TTL ran out (the room alarm); acquire also treats them as free. */
export function expireLocks(db: Db, now: number): string[] {
  const expired = db.all<LockRow>("SELECT * FROM locks WHERE holder IS NOT NULL AND expires_at <= ? ORDER BY expires_at", now);
  for (const row of expired) {
    db.run("UPDATE locks SET holder = NULL WHERE path = ? AND holder = ? AND expires_at <= ?", row.path, row.holder, now);
    appendEvent(db, now, {
      kind: "lock_expired",
      actor: row.holder,
      data: { file: row.shown ?? row.path, holder: row.holder, token: row.token },
    });
  }
  return expired.map((r) => r.path);
}

export function nextLockExpiry(db: Db): number | null {
  return db.one<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM locks WHERE holder IS NOT NULL")?.t ?? null;
}

/** Gives back every lock an agent holds (leave, zombie). */
export function releaseLocksOf(db: Db, now: number, agent: string, why: string): string[] {
  const rows = db.all<LockRow>("SELECT * FROM locks WHERE holder = ?", agent);
  for (const row of rows) {
    db.run("UPDATE locks SET holder = NULL, expires_at = ? WHERE path = ? AND holder = ?", now, row.path, agent);
    appendEvent(db, now, { kind: "lock_released", actor: agent, data: { file: row.shown ?? row.path, token: row.token, reason: why } });
  }
  return rows.map((r) => `lock:${r.shown ?? r.path}`);
}
