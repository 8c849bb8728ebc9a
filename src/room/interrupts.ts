import type { TextCodec } from "./codec";
import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Db } from "./sql";

/**
 * Human-in-the-loop checkpoints. An agent about to do something dangerous records a `pending`
 * checkpoint and waits; a human approves or rejects it, once: a decision is final. `branch` forks
 * a new path from an earlier step.
 */
export type CheckpointState = "pending" | "approved" | "rejected" | "branched" | "in_progress";

export interface Checkpoint {
  id: number;
  task_id: string;
  agent: string;
  step: number;
  action: string;
  message: string;
  state: CheckpointState;
  branch_name: string | null;
  parent_id: number | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  reason: string | null;
}

export interface NewInterrupt {
  agent: string;
  task_id: string;
  step: number;
  action: string;
  message: string;
}

function byId(db: Db, id: number): Checkpoint {
  const row = db.one<Checkpoint>("SELECT * FROM checkpoints WHERE id = ?", id);
  if (!row) fail("not_found", `checkpoint ${id} vanished`);
  return row;
}

export function interrupt(db: Db, now: number, i: NewInterrupt): Checkpoint {
  const open = db.one<Checkpoint>("SELECT * FROM checkpoints WHERE task_id = ? AND state = 'pending'", i.task_id);
  if (open) {
    fail(
      "conflict",
      `task ${i.task_id} already waits for approval of step ${open.step} (${open.action}); wait for masc_approve or masc_reject`,
      {
        task_id: i.task_id,
      },
    );
  }
  const row = db.one<{ id: number }>(
    "INSERT INTO checkpoints (task_id, agent, step, action, message, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
    i.task_id,
    i.agent,
    i.step,
    i.action,
    i.message,
    now,
  );
  const cp = byId(db, row?.id ?? 0);
  appendEvent(db, now, { kind: "interrupt_requested", actor: i.agent, data: { task_id: i.task_id, step: i.step, checkpoint: cp.id } });
  return cp;
}

export function pendingInterrupts(db: Db, taskId?: string): Checkpoint[] {
  return taskId
    ? db.all<Checkpoint>("SELECT * FROM checkpoints WHERE state = 'pending' AND task_id = ? ORDER BY id", taskId)
    : db.all<Checkpoint>("SELECT * FROM checkpoints WHERE state = 'pending' ORDER BY id");
}

export function recentDecisions(db: Db, taskId: string | undefined, limit: number): Checkpoint[] {
  return taskId
    ? db.all<Checkpoint>(
        "SELECT * FROM checkpoints WHERE decided_at IS NOT NULL AND task_id = ? ORDER BY decided_at DESC, id DESC LIMIT ?",
        taskId,
        limit,
      )
    : db.all<Checkpoint>("SELECT * FROM checkpoints WHERE decided_at IS NOT NULL ORDER BY decided_at DESC, id DESC LIMIT ?", limit);
}

/** Approves or rejects the task's pending checkpoint; the interrupted agent is told by push. */
export function decide(
  db: Db,
  now: number,
  taskId: string,
  decision: "approved" | "rejected",
  by: string | null,
  reason: string | null,
): Checkpoint {
  const pending = db.one<Checkpoint>("SELECT * FROM checkpoints WHERE task_id = ? AND state = 'pending' ORDER BY id DESC LIMIT 1", taskId);
  if (!pending) {
    const last = db.one<Checkpoint>("SELECT * FROM checkpoints WHERE task_id = ? ORDER BY id DESC LIMIT 1", taskId);
    if (!last) fail("not_found", `no interrupt for task ${taskId}; see masc_pending_interrupts`, { task_id: taskId });
    const when = last.decided_at ? ` at ${new Date(last.decided_at).toISOString()}` : "";
    fail(
      "already_decided",
      `the interrupt of task ${taskId} (step ${last.step}) is already ${last.state}${last.decided_by ? ` by ${last.decided_by}` : ""}${when}; a decision is final`,
      {
        task_id: taskId,
        state: last.state,
      },
    );
  }
  // Guarded on state, so two humans deciding at once cannot both win.
  const changed = db.run(
    "UPDATE checkpoints SET state = ?, decided_at = ?, decided_by = ?, reason = ? WHERE id = ? AND state = 'pending'",
    decision,
    now,
    by,
    reason,
    pending.id,
  );
  if (changed !== 1) fail("already_decided", `the interrupt of task ${taskId} was decided meanwhile`, { task_id: taskId });
  const cp = byId(db, pending.id);
  appendEvent(db, now, {
    kind: decision === "approved" ? "interrupt_approved" : "interrupt_rejected",
    actor: by,
    target: cp.agent,
    body: reason,
    data: { task_id: taskId, step: cp.step, checkpoint: cp.id, action: cp.action },
  });
  return cp;
}

/** Forks a new path: the checkpoint at `sourceStep` becomes `branched`, a new one starts at step + 1. */
export function branch(
  db: Db,
  now: number,
  agent: string,
  taskId: string,
  sourceStep: number,
  branchName: string,
): { source: Checkpoint; branch: Checkpoint } {
  const source = db.one<Checkpoint>(
    "SELECT * FROM checkpoints WHERE task_id = ? AND step = ? ORDER BY id DESC LIMIT 1",
    taskId,
    sourceStep,
  );
  if (!source)
    fail("not_found", `task ${taskId} has no checkpoint at step ${sourceStep}; create one with masc_interrupt`, {
      task_id: taskId,
      step: sourceStep,
    });
  if (source.state === "pending")
    fail("conflict", `step ${sourceStep} of ${taskId} still waits for a decision; approve or reject it first`, { task_id: taskId });
  db.run("UPDATE checkpoints SET state = 'branched' WHERE id = ?", source.id);
  const row = db.one<{ id: number }>(
    "INSERT INTO checkpoints (task_id, agent, step, action, message, state, branch_name, parent_id, created_at) VALUES (?, ?, ?, ?, ?, 'in_progress', ?, ?, ?) RETURNING id",
    taskId,
    agent,
    sourceStep + 1,
    source.action,
    source.message,
    branchName,
    source.id,
    now,
  );
  const created = byId(db, row?.id ?? 0);
  appendEvent(db, now, {
    kind: "interrupt_branched",
    actor: agent,
    data: { task_id: taskId, from_step: sourceStep, step: created.step, branch_name: branchName },
  });
  return { source: byId(db, source.id), branch: created };
}

export function viewCheckpoint(c: Checkpoint) {
  return {
    id: c.id,
    task_id: c.task_id,
    agent: c.agent,
    step: c.step,
    action: c.action,
    message: c.message,
    state: c.state,
    branch_name: c.branch_name,
    created_at: new Date(c.created_at).toISOString(),
    decided_at: c.decided_at === null ? null : new Date(c.decided_at).toISOString(),
    decided_by: c.decided_by,
    reason: c.reason,
  };
}

/** The checkpoint as shown, with its text opened (it may be sealed at rest). */
export async function showCheckpoint(codec: TextCodec, c: Checkpoint) {
  return {
    ...viewCheckpoint(c),
    action: await codec.open("interrupt", c.action),
    message: await codec.open("interrupt", c.message),
    reason: c.reason === null ? null : await codec.open("interrupt", c.reason),
  };
}
