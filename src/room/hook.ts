import type { TextCodec } from "./codec";
import { cursorOf } from "./cursors";
import { MascError } from "./errors";
import { bodyField } from "./events";
import { pendingInterrupts, showCheckpoint } from "./interrupts";
import { conflictOf, type LockRow, type LockView, targetOf, viewLock } from "./locks";
import type { LockTarget } from "./patterns";
import { forAgentSql } from "./push";
import type { Db } from "./sql";

/** A patch may touch many files; a hook asks about at most this many in one request. */
export const HOOK_MAX_FILES = 50;

/**
 * The live lock or lease of another agent on `file`, if any, compared by path identity (the same
 * function masc_lock uses); a path that could never be locked has none.
 */
function lockedByOther(db: Db, now: number, agent: string | null, file: string): (LockView & { path: string }) | null {
  let target: LockTarget;
  try {
    target = targetOf(db, file);
  } catch (err) {
    if (err instanceof MascError) return null;
    throw err;
  }
  if (target.kind !== "file") return null;
  const same = db.one<LockRow>("SELECT * FROM locks WHERE path = ? AND holder IS NOT NULL AND expires_at > ?", target.key, now);
  const row = same && same.holder !== agent ? same : conflictOf(db, now, agent, target);
  return row ? { ...viewLock(row, now), path: target.shown } : null;
}

/**
 * Everything an agent hook needs in one round trip: who holds a lock or lease on the files about to
 * be edited or committed (`locks`: each of `files` held by someone else; `lock`: the first), unread messages that mention the agent, and
 * approvals waiting for a human.
 */
export async function hookInfo(db: Db, codec: TextCodec, now: number, agent: string | null, files: readonly string[]) {
  const locks = files.slice(0, HOOK_MAX_FILES).flatMap((file) => lockedByOther(db, now, agent, file) ?? []);
  const lock = locks[0] ?? null;
  let mentions: Array<{ seq: number; from: string | null; content: string }> = [];
  if (agent) {
    const cursor = cursorOf(db, agent);
    const f = forAgentSql(agent);
    const rows = db.all<{ seq: number; kind: string; actor: string | null; body: string | null }>(
      `SELECT e.seq, e.kind, e.actor, e.body FROM events e
       WHERE e.kind IN ('broadcast', 'portal_message') AND e.seq > ? AND e.target IS NOT NULL AND (e.actor IS NULL OR e.actor != ?) AND ${f.sql}
       ORDER BY e.seq LIMIT 20`,
      cursor.read_seq,
      agent,
      ...f.params,
    );
    mentions = await Promise.all(
      rows.map(async (r) => ({ seq: r.seq, from: r.actor, content: r.body === null ? "" : await codec.open(bodyField(r.kind), r.body) })),
    );
  }
  const pending = await Promise.all(pendingInterrupts(db).map((c) => showCheckpoint(codec, c)));
  return { lock, locks, mentions, pending_interrupts: pending };
}
