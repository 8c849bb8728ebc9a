import type { TextCodec } from "./codec";
import { cursorOf } from "./cursors";
import { MascError } from "./errors";
import { bodyField } from "./events";
import { pendingInterrupts, showCheckpoint } from "./interrupts";
import { type LockRow, viewLock } from "./locks";
import { normalizeLockPath } from "./paths";
import { forAgentSql } from "./push";
import type { Db } from "./sql";

/**
 * Everything an agent hook needs in one round trip: who holds a lock on the file about to be
 * edited, unread messages that mention the agent, and approvals waiting for a human.
 */
export async function hookInfo(db: Db, codec: TextCodec, now: number, agent: string | null, file: string | null) {
  let lock = null;
  if (file) {
    let path: string | null = null;
    try {
      path = normalizeLockPath(file);
    } catch (err) {
      if (!(err instanceof MascError)) throw err;
    }
    const row = path
      ? db.one<LockRow>("SELECT * FROM locks WHERE path = ? AND holder IS NOT NULL AND expires_at > ?", path, now)
      : undefined;
    if (row && row.holder !== agent) lock = viewLock(row, now);
  }
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
  return { lock, mentions, pending_interrupts: pending };
}
