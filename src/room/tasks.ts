import { requireJoined } from "./agents";
import { requireWithinBudget } from "./budgets";
import { fail } from "./errors";
import { appendEvent } from "./events";
import { counter, nextCounter } from "./meta";
import { requireNotPaused } from "./pause";
import type { Db } from "./sql";
import { linkBlockers, requireUnblocked, settleFinished } from "./task-deps";

export type TaskState = "todo" | "claimed" | "in_progress" | "done" | "cancelled";
export type TaskAction = "claim" | "start" | "done" | "cancel" | "release";

export interface TaskRow {
  num: number;
  id: string;
  title: string;
  description: string;
  priority: number;
  state: TaskState;
  assignee: string | null;
  created_by: string | null;
  created_at: number;
  claimed_at: number | null;
  started_at: number | null;
  completed_at: number | null;
  notes: string | null;
  cancelled_by: string | null;
  cancelled_at: number | null;
  reason: string | null;
  version: number;
  worktree: string | null;
  archived_at: number | null;
  /** Blockers not yet done or cancelled: claimable only at 0. */
  open_blockers: number;
  /** Open tasks waiting on this one, directly or through others. */
  unblocks: number;
}

export interface NewTask {
  title: string;
  priority?: number;
  description?: string;
  created_by?: string | null;
  id?: string;
  /** Ids of tasks this one waits for. */
  blocked_by?: readonly string[];
}

const DAY_MS = 86_400_000;
const ACTIVE: readonly TaskState[] = ["claimed", "in_progress"];
const PAST: Record<TaskAction, string> = { claim: "claimed", start: "started", done: "done", release: "released", cancel: "cancelled" };

export function boardVersion(db: Db): number {
  return counter(db, "board_version");
}

function bumpBoard(db: Db): number {
  return nextCounter(db, "board_version");
}

export function getTask(db: Db, id: string): TaskRow | undefined {
  return db.one<TaskRow>("SELECT * FROM tasks WHERE id = ?", id);
}

export function requireTask(db: Db, id: string): TaskRow {
  const task = getTask(db, id);
  if (!task) fail("task_not_found", `no task '${id}' in this room; list them with masc_tasks`, { task_id: id });
  return task;
}

function record(
  db: Db,
  now: number,
  task: TaskRow,
  actor: string | null,
  action: string,
  from: TaskState | null,
  detail?: string | null,
): void {
  db.run(
    "INSERT INTO task_history (task_id, ts, actor, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
    task.id,
    now,
    actor,
    action,
    from,
    task.state,
    detail ?? null,
  );
  appendEvent(db, now, {
    kind: `task_${action}`,
    actor,
    data: {
      task_id: task.id,
      title: task.title,
      state: task.state,
      assignee: task.assignee,
      priority: task.priority,
      version: task.version,
      from_state: from,
    },
  });
  bumpBoard(db);
}

export function addTask(db: Db, now: number, input: NewTask): TaskRow {
  const num = nextCounter(db, "task_counter");
  const id = input.id ?? `task-${String(num).padStart(3, "0")}`;
  const task = db.one<TaskRow>(
    `INSERT INTO tasks (num, id, title, description, priority, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'todo', ?, ?)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    num,
    id,
    input.title,
    input.description ?? "",
    input.priority ?? 3,
    input.created_by ?? null,
    now,
  );
  if (!task) fail("conflict", `a task with id '${id}' already exists`, { task_id: id });
  const added = input.blocked_by?.length && linkBlockers(db, id, input.blocked_by).length ? requireTask(db, id) : task;
  record(db, now, added, input.created_by ?? null, "added", null);
  return added;
}

export interface TaskFilter {
  state?: TaskState;
  assignee?: string;
  includeArchived?: boolean;
  limit: number;
  cursor?: number;
}

export function listTasks(db: Db, f: TaskFilter): { tasks: TaskRow[]; has_more: boolean; next_cursor: string | null; total: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (!f.includeArchived) where.push("archived_at IS NULL");
  if (f.state) {
    where.push("state = ?");
    params.push(f.state);
  }
  if (f.assignee) {
    where.push("assignee = ?");
    params.push(f.assignee);
  }
  const base = where.length ? `WHERE ${where.join(" AND ")}` : "";
  // Unfiltered or by state alone, the board's total is a kept count rather than a walk of the board.
  const counted = !f.includeArchived && !f.assignee;
  const total = counted
    ? (db.one<{ n: number | null }>("SELECT SUM(n) AS n FROM task_counts WHERE ? IS NULL OR state = ?", f.state ?? null, f.state ?? null)
        ?.n ?? 0)
    : (db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM tasks ${base}`, ...params)?.n ?? 0);
  const pageWhere = [...where, "num > ?"];
  const rows = db.all<TaskRow>(
    `SELECT * FROM tasks WHERE ${pageWhere.join(" AND ")} ORDER BY num LIMIT ?`,
    ...params,
    f.cursor ?? 0,
    f.limit + 1,
  );
  const has_more = rows.length > f.limit;
  const tasks = rows.slice(0, f.limit);
  const last = tasks.at(-1);
  return { tasks, has_more, next_cursor: has_more && last ? String(last.num) : null, total };
}

/** Tasks on the board (not archived) by state, from the counts triggers keep. */
export function countByState(db: Db): Record<TaskState, number> {
  const counts: Record<TaskState, number> = { todo: 0, claimed: 0, in_progress: 0, done: 0, cancelled: 0 };
  for (const r of db.all<{ state: TaskState; n: number }>("SELECT state, n FROM task_counts")) counts[r.state] = r.n;
  return counts;
}

function checkVersion(task: TaskRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== task.version) {
    fail("version_conflict", `task ${task.id} is at version ${task.version}, not ${expected}; re-read it with masc_tasks and retry`, {
      task_id: task.id,
      version: task.version,
    });
  }
}

function requireAssignee(task: TaskRow, agent: string, action: TaskAction): void {
  if (task.assignee !== agent) {
    const who = task.assignee ? `it is assigned to ${task.assignee}` : "nobody has claimed it";
    fail("not_assignee", `${agent} cannot ${action} ${task.id}: ${who}`, { task_id: task.id, assignee: task.assignee });
  }
}

function alreadyClaimed(task: TaskRow): never {
  if (task.state === "done" || task.state === "cancelled") {
    fail("invalid_transition", `task ${task.id} is ${task.state} and cannot be claimed`, { task_id: task.id, state: task.state });
  }
  fail("task_already_claimed", `task ${task.id} is already claimed by ${task.assignee}; take another with masc_claim_next`, {
    task_id: task.id,
    holder: task.assignee,
  });
}

export interface TransitionOptions {
  expectedVersion?: number;
  notes?: string;
  reason?: string;
  /** An admin cancelling a task someone else holds. */
  force?: boolean;
  /** The claimer's budget was checked already in this call. */
  withinBudget?: boolean;
}

/** The whole task state machine; every write to a task's state goes through here. */
export function transition(db: Db, now: number, agent: string, id: string, action: TaskAction, opts: TransitionOptions = {}): TaskRow {
  requireJoined(db, agent);
  return apply(db, now, agent, requireTask(db, id), action, opts);
}

/** `transition` on a task row just read, by an agent known to have joined. */
function apply(db: Db, now: number, agent: string, task: TaskRow, action: TaskAction, opts: TransitionOptions = {}): TaskRow {
  const id = task.id;
  checkVersion(task, opts.expectedVersion);
  const from = task.state;
  let set: string;
  const params: (string | number | null)[] = [];
  switch (action) {
    case "claim":
      requireNotPaused(db);
      if (from !== "todo") {
        if (ACTIVE.includes(from) && task.assignee === agent) return task;
        alreadyClaimed(task);
      }
      requireUnblocked(db, task);
      if (!opts.withinBudget) requireWithinBudget(db, now, agent);
      set = "state = 'claimed', assignee = ?, claimed_at = ?";
      params.push(agent, now);
      break;
    case "start":
      if (from !== "claimed")
        fail("invalid_transition", `task ${id} is ${from}; only a claimed task can be started`, { task_id: id, state: from });
      requireAssignee(task, agent, action);
      set = "state = 'in_progress', started_at = ?";
      params.push(now);
      break;
    case "done":
      if (!ACTIVE.includes(from))
        fail("invalid_transition", `task ${id} is ${from}; claim it before marking it done`, { task_id: id, state: from });
      requireAssignee(task, agent, action);
      set = "state = 'done', completed_at = ?, notes = ?";
      params.push(now, opts.notes ?? null);
      break;
    case "release":
      if (!ACTIVE.includes(from))
        fail("invalid_transition", `task ${id} is ${from}; only a claimed or started task can be released`, { task_id: id, state: from });
      requireAssignee(task, agent, action);
      set = "state = 'todo', assignee = NULL, claimed_at = NULL, started_at = NULL";
      break;
    case "cancel":
      if (from === "done" || from === "cancelled")
        fail("invalid_transition", `task ${id} is already ${from}`, { task_id: id, state: from });
      if (from !== "todo" && !opts.force) requireAssignee(task, agent, action);
      set = "state = 'cancelled', cancelled_by = ?, cancelled_at = ?, reason = ?";
      params.push(agent, now, opts.reason ?? null);
      break;
  }
  // The state guard makes the write itself the compare-and-swap, independent of the read above.
  const updated = db.one<TaskRow>(
    `UPDATE tasks SET ${set}, version = version + 1 WHERE id = ? AND version = ? RETURNING *`,
    ...params,
    id,
    task.version,
  );
  if (!updated) fail("version_conflict", `task ${id} changed while updating; retry`, { task_id: id });
  record(db, now, updated, agent, PAST[action], from, opts.notes ?? opts.reason);
  if (action === "done" || action === "cancel") settleFinished(db, now, agent, id);
  return updated;
}

/** Claimable: todo, on the board, waiting for nothing. The terms of the `tasks_ready` partial index, verbatim. */
const READY = "archived_at IS NULL AND state = 'todo' AND open_blockers = 0";

/**
 * The effective priority of a task in SQL: one step a whole day waited, never below 1. `now` is cast:
 * a port may bind a JS number as REAL, and a fractional age would make no two priorities equal.
 */
const AGED = `MAX(1, priority - ((CAST(?1 AS INTEGER) - created_at) / ${DAY_MS}))`;

/**
 * The oldest claimable task of one priority: a seek on the ready index, named because the planner,
 * without statistics, would take the board index and step over every blocked task of that priority.
 */
const oldestOf = (priority: number) =>
  `(SELECT num FROM tasks INDEXED BY tasks_ready WHERE ${READY} AND priority = ${priority} ORDER BY created_at, num LIMIT 1)`;

/**
 * The next task by aged priority, then the oldest. Within one priority, aging only favours the older
 * task, so the winner is the oldest task of some priority: the query weighs those five (and any task
 * outside 1..5, which the tools never write) instead of sorting every claimable task. No UNION:
 * workerd caps compound SELECTs. The two outside ranges are separate terms: `(priority < 1 OR
 * priority > 5)` in one term is no index range, and SQLite would read every task to find none.
 */
export const NEXT_TODO = `SELECT * FROM tasks
  WHERE num IN (${[1, 2, 3, 4, 5].map(oldestOf).join(", ")})
     OR (${READY} AND priority < 1)
     OR (${READY} AND priority > 5)
  ORDER BY ${AGED}, created_at, num LIMIT 1`;

/**
 * Among claimable tasks that others wait for (the `tasks_unblocking` partial index), the one of
 * effective priority ?3 that unblocks the most, more than ?2. The index is in this order, so the
 * walk stops at the first task of that priority.
 */
export const NEXT_UNBLOCKING = `SELECT * FROM tasks INDEXED BY tasks_unblocking
  WHERE unblocks > 0 AND ${READY} AND unblocks > ?2 AND ${AGED} = ?3
  ORDER BY unblocks DESC, created_at, num LIMIT 1`;

/** SQLite's integer division truncates toward zero, as Math.trunc does. */
const aged = (t: TaskRow, now: number) => Math.max(1, t.priority - Math.trunc((now - t.created_at) / DAY_MS));

/**
 * Highest effective priority first (1 is highest; one level gained per day waited), then the task
 * that unblocks the most open work, then the oldest. Blocked tasks are never candidates.
 */
export function claimNext(db: Db, now: number, agent: string): TaskRow | null {
  requireJoined(db, agent);
  requireNotPaused(db);
  requireWithinBudget(db, now, agent);
  const oldest = db.one<TaskRow>(NEXT_TODO, now);
  if (!oldest) return null;
  const next = db.one<TaskRow>(NEXT_UNBLOCKING, now, oldest.unblocks, aged(oldest, now)) ?? oldest;
  return apply(db, now, agent, next, "claim", { withinBudget: true });
}

export function updatePriority(db: Db, now: number, actor: string | null, id: string, priority: number): TaskRow {
  const task = requireTask(db, id);
  db.run("UPDATE tasks SET priority = ?, version = version + 1 WHERE id = ?", priority, id);
  const updated = requireTask(db, id);
  record(db, now, updated, actor, "reprioritized", task.state, `priority ${task.priority} -> ${priority}`);
  return updated;
}

export function releaseTasksOf(db: Db, now: number, agent: string, why: string): string[] {
  const held = db.all<TaskRow>("SELECT * FROM tasks WHERE assignee = ? AND state IN ('claimed', 'in_progress')", agent);
  for (const task of held) {
    db.run(
      "UPDATE tasks SET state = 'todo', assignee = NULL, claimed_at = NULL, started_at = NULL, version = version + 1 WHERE id = ?",
      task.id,
    );
    record(db, now, requireTask(db, task.id), agent, "released", task.state, `agent ${why}`);
  }
  return held.map((t) => t.id);
}

export interface HistoryEntry {
  ts: string;
  actor: string | null;
  action: string;
  from_state: string | null;
  to_state: string;
  detail: string | null;
}

export function taskHistory(db: Db, id: string, limit: number): HistoryEntry[] {
  requireTask(db, id);
  return db
    .all<{ ts: number; actor: string | null; action: string; from_state: string | null; to_state: string; detail: string | null }>(
      "SELECT ts, actor, action, from_state, to_state, detail FROM task_history WHERE task_id = ? ORDER BY id DESC LIMIT ?",
      id,
      limit,
    )
    .map((r) => ({ ...r, ts: new Date(r.ts).toISOString() }));
}

/** Finished tasks older than `days` leave the board for the archive. */
export function archiveFinished(db: Db, now: number, days: number): number {
  return db.run(
    "UPDATE tasks SET archived_at = ? WHERE archived_at IS NULL AND state IN ('done', 'cancelled') AND COALESCE(completed_at, cancelled_at) <= ?",
    now,
    now - days * DAY_MS,
  );
}

export function archivedTasks(db: Db, limit: number): TaskRow[] {
  return db.all<TaskRow>("SELECT * FROM tasks WHERE archived_at IS NOT NULL ORDER BY archived_at DESC, num DESC LIMIT ?", limit);
}
