import type { Checkpoint } from "./interrupts";
import { type LockRow, type LockView, viewLock } from "./locks";
import { type Unread, unreadFor } from "./messages";
import type { Db } from "./sql";
import type { TaskRow } from "./tasks";

/** What an agent holds in the room: enough for an agent that lost its context to carry on. */
export interface Held {
  tasks: TaskRow[];
  /** File locks, with their expiry. */
  locks: LockView[];
  /** Directory and glob leases, with their expiry. */
  leases: LockView[];
  unread: Unread;
  /** Its checkpoints still waiting for a human's decision. */
  interrupts: Checkpoint[];
}

export function heldBy(db: Db, now: number, agent: string): Held {
  const tasks = db.all<TaskRow>(
    "SELECT * FROM tasks WHERE assignee = ? AND state IN ('claimed', 'in_progress') ORDER BY claimed_at, num",
    agent,
  );
  const live = db
    .all<LockRow>("SELECT * FROM locks WHERE holder = ? AND expires_at > ? ORDER BY path", agent, now)
    .map((r) => viewLock(r, now));
  const interrupts = db.all<Checkpoint>("SELECT * FROM checkpoints WHERE agent = ? AND state = 'pending' ORDER BY id", agent);
  return {
    tasks,
    locks: live.filter((l) => l.kind === "file"),
    leases: live.filter((l) => l.kind !== "file"),
    unread: unreadFor(db, agent),
    interrupts,
  };
}

/** Whether there is anything to hand back to the agent. */
export function holdsAnything(h: Held): boolean {
  return h.tasks.length + h.locks.length + h.leases.length + h.interrupts.length > 0;
}
