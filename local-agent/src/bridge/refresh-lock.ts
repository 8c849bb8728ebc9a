import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A lock file beside the stored OAuth tokens, so masc-agent processes sharing one sign-in refresh
 * it one at a time: the room revokes a sign-in whose refresh token is presented twice (decision
 * 0035). Created with O_EXCL (`wx`); a holder that died (its pid is gone on this host) or that has
 * held it past `staleMs` is taken over.
 */

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  waitMs?: number;
  /** A lock older than this is a crashed holder's, whatever its pid says (another host's pid cannot be checked). */
  staleMs?: number;
  pollMs?: number;
  /** Called once, when the lock is first found held by someone else. */
  onWait?: (holder: Holder | undefined) => void;
}

export interface Holder {
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Longer than a refresh may take (its request is cut off at REFRESH_TIMEOUT_MS). */
export const STALE_MS = 30_000;
export const REFRESH_TIMEOUT_MS = 20_000;

function parse(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === "number" && typeof h.host === "string" && typeof h.at === "number" ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // Someone else's process: alive.
  }
}

/** A holder that wrote nothing readable yet (between its open and its write) is judged by the file's age alone. */
function stale(holder: Holder | undefined, mtimeMs: number, now: number, staleMs: number): boolean {
  if (!holder) return now - mtimeMs > staleMs;
  return now - holder.at > staleMs || (holder.host === hostname() && !alive(holder.pid));
}

/**
 * Moves a stale lock aside before deleting it, so a lock made fresh in between by another waiter
 * that took over first is not deleted by mistake: that one is linked back.
 */
function takeOver(path: string, seen: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Released or taken over meanwhile.
  }
  if (readFileSync(aside, "utf8") !== seen) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process made one meanwhile; it holds the lock.
    }
  }
  unlinkSync(aside);
}

function tryCreate(path: string, mine: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, mine);
  } finally {
    closeSync(fd);
  }
  return true;
}

function release(path: string, mine: string): void {
  try {
    // Only our own: a holder taken over as stale must not delete its successor's lock.
    if (readFileSync(path, "utf8") === mine) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Runs `fn` holding the lock at `path`; waits for a live holder for at most `waitMs`, then throws. */
export async function withLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const { waitMs = STALE_MS + 15_000, staleMs = STALE_MS, pollMs = 50 } = opts;
  const stamp = () => JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() } satisfies Holder);
  const deadline = Date.now() + waitMs;
  // Before the first sign-in the directory may not exist yet; made as the stored tokens' is.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let mine = stamp();
  let told = false;
  while (!tryCreate(path, mine)) {
    let seen: string;
    let mtimeMs: number;
    try {
      seen = readFileSync(path, "utf8");
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      continue; // Released between our open and our read.
    }
    const holder = parse(seen);
    if (stale(holder, mtimeMs, Date.now(), staleMs)) {
      takeOver(path, seen);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `masc-agent pid ${holder.pid} on ${holder.host}` : "another masc-agent";
      throw new Error(`${path} is held by ${who} for over ${waitMs / 1000} s; delete it if no masc-agent is refreshing`);
    }
    if (!told) opts.onWait?.(holder);
    told = true;
    await sleep(pollMs);
    mine = stamp();
  }
  try {
    return await fn();
  } finally {
    release(path, mine);
  }
}
