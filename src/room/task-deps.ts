import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Db } from "./sql";

/**
 * Task dependencies: "task waits for blocker". A task with an open blocker (neither done nor
 * cancelled) cannot be claimed. Two counts live on the task row so claiming reads no graph:
 * `open_blockers` and `unblocks` (open tasks waiting on it, directly or through others).
 */
const OPEN = "state NOT IN ('done', 'cancelled')";

/** The blockers of a task that are still open, in id order. */
export function openBlockersOf(db: Db, id: string): string[] {
  return db
    .all<{ id: string }>(
      `SELECT t.id FROM task_deps d JOIN tasks t ON t.id = d.blocker_id WHERE d.task_id = ? AND t.${OPEN} ORDER BY t.num`,
      id,
    )
    .map((r) => r.id);
}

/** Refuses a claim of a task that still waits for something. */
export function requireUnblocked(db: Db, task: { id: string; open_blockers: number }): void {
  if (task.open_blockers === 0) return;
  const blockers = openBlockersOf(db, task.id);
  fail("task_blocked", `task ${task.id} waits for ${blockers.join(", ")}; finish those first or take another with masc_claim_next`, {
    task_id: task.id,
    blocked_by: blockers,
  });
}

function stateOf(db: Db, id: string): string {
  const row = db.one<{ state: string }>("SELECT state FROM tasks WHERE id = ?", id);
  if (!row) fail("task_not_found", `no task '${id}' in this room; list them with masc_tasks`, { task_id: id });
  return row.state;
}

const isOpen = (state: string) => state !== "done" && state !== "cancelled";

/**
 * The chain that makes `task` waiting for `blocker` a cycle, if there is one: the task, the
 * blocker, and each task it waits for up to the task again. Walks the blockers breadth first, one
 * query a level.
 */
export function cycleThrough(db: Db, task: string, blocker: string): string[] | null {
  if (task === blocker) return [task, task];
  const parent = new Map<string, string | null>([[blocker, null]]);
  let frontier = [blocker];
  while (frontier.length > 0) {
    const rows = db.all<{ task_id: string; blocker_id: string }>(
      "SELECT task_id, blocker_id FROM task_deps WHERE task_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(frontier),
    );
    const next: string[] = [];
    for (const r of rows) {
      if (parent.has(r.blocker_id)) continue;
      parent.set(r.blocker_id, r.task_id);
      if (r.blocker_id === task) {
        const path = [task];
        for (let at: string | null | undefined = r.task_id; at; at = parent.get(at)) path.push(at);
        // path is task, then back to the blocker: turn the tail around so each waits for the next.
        return [task, ...path.slice(1).reverse(), task];
      }
      next.push(r.blocker_id);
    }
    frontier = next;
  }
  return null;
}

/**
 * Makes `task` wait for each of `blockers` (links already there are kept). Refuses an unknown id,
 * the task itself, and a cycle, naming its path; the caller's transaction undoes earlier links.
 * Returns the blockers newly linked.
 */
export function linkBlockers(db: Db, task: string, blockers: readonly string[]): string[] {
  const taskState = stateOf(db, task);
  if (!isOpen(taskState))
    fail("invalid_transition", `task ${task} is ${taskState}; what it waited for no longer matters`, { task_id: task });
  const linked: string[] = [];
  for (const blocker of new Set(blockers)) {
    const blockerState = stateOf(db, blocker);
    const cycle = cycleThrough(db, task, blocker);
    if (cycle) {
      fail(
        "dependency_cycle",
        `${task} cannot wait for ${blocker}: ${cycle.join(" → ")} would wait in a circle (each waits for the next)`,
        {
          task_id: task,
          blocked_by: blocker,
          path: cycle,
        },
      );
    }
    if (db.run("INSERT INTO task_deps (task_id, blocker_id) VALUES (?, ?) ON CONFLICT DO NOTHING", task, blocker) === 0) continue;
    if (isOpen(blockerState)) db.run("UPDATE tasks SET open_blockers = open_blockers + 1 WHERE id = ?", task);
    linked.push(blocker);
  }
  refreshUnblocks(db, linked);
  return linked;
}

/** Stops `task` waiting for each of `blockers`; an unknown id is refused, a link not there is skipped. */
export function unlinkBlockers(db: Db, task: string, blockers: readonly string[]): string[] {
  stateOf(db, task);
  const unlinked: string[] = [];
  for (const blocker of new Set(blockers)) {
    const blockerState = stateOf(db, blocker);
    if (db.run("DELETE FROM task_deps WHERE task_id = ? AND blocker_id = ?", task, blocker) === 0) continue;
    if (isOpen(blockerState)) db.run("UPDATE tasks SET open_blockers = open_blockers - 1 WHERE id = ?", task);
    unlinked.push(blocker);
  }
  refreshUnblocks(db, unlinked);
  return unlinked;
}

/**
 * Recounts `unblocks` for the given tasks and every open task they wait for, transitively: the open
 * tasks reachable downstream through open tasks only (work behind a finished task no longer waits
 * on what that task waited for). A finished task counts nothing, and the walk up stops at one, so
 * finishing a task whose blockers are all done recounts that task alone.
 */
export function refreshUnblocks(db: Db, ids: readonly string[]): void {
  if (ids.length === 0) return;
  db.run(
    `WITH RECURSIVE up(id) AS (
       SELECT value FROM json_each(?1)
       UNION SELECT d.blocker_id FROM up JOIN task_deps d ON d.task_id = up.id JOIN tasks b ON b.id = d.blocker_id WHERE b.${OPEN}
     ),
     down(root, id) AS (
       SELECT d.blocker_id, d.task_id FROM up JOIN tasks r ON r.id = up.id JOIN task_deps d ON d.blocker_id = up.id JOIN tasks t ON t.id = d.task_id
         WHERE r.${OPEN} AND t.${OPEN}
       UNION SELECT down.root, d.task_id FROM down JOIN task_deps d ON d.blocker_id = down.id JOIN tasks t ON t.id = d.task_id WHERE t.${OPEN}
     )
     UPDATE tasks SET unblocks = CASE WHEN ${OPEN} THEN (SELECT COUNT(*) FROM down WHERE down.root = tasks.id) ELSE 0 END
     WHERE id IN (SELECT id FROM up)`,
    JSON.stringify(ids),
  );
}

export interface Unblocked {
  task_id: string;
  assignee: string | null;
}

/**
 * A task just finished (done or cancelled): its dependents wait for one blocker fewer, and those
 * now waiting for nothing are announced in one `task_unblocked` event that mentions their
 * assignees, so an agent holding one hears of it.
 */
export function settleFinished(db: Db, now: number, actor: string | null, id: string): Unblocked[] {
  const linked = db.one("SELECT 1 AS x FROM task_deps WHERE blocker_id = ?1 OR task_id = ?1 LIMIT 1", id);
  if (!linked) return [];
  const dependents = db.all<Unblocked & { open_blockers: number; state: string }>(
    `UPDATE tasks SET open_blockers = open_blockers - 1
     WHERE id IN (SELECT task_id FROM task_deps WHERE blocker_id = ?) RETURNING id AS task_id, assignee, open_blockers, state`,
    id,
  );
  refreshUnblocks(db, [id]);
  const freed = dependents
    .filter((d) => d.open_blockers === 0 && isOpen(d.state))
    .map(({ task_id, assignee }) => ({ task_id, assignee }))
    .sort((a, b) => a.task_id.localeCompare(b.task_id));
  if (freed.length > 0) {
    const mentions = [...new Set(freed.flatMap((d) => (d.assignee ? [d.assignee] : [])))];
    appendEvent(db, now, { kind: "task_unblocked", actor, data: { blocker: id, unblocked: freed, mentions } });
  }
  return freed;
}

export interface Links {
  blocked_by: string[];
  blocking: string[];
}

/** Direct links of each task in `ids`, in two statements whatever the page size. */
export function linksOf(db: Db, ids: readonly string[]): Map<string, Links> {
  const out = new Map<string, Links>(ids.map((id) => [id, { blocked_by: [], blocking: [] }]));
  if (ids.length === 0) return out;
  const list = JSON.stringify(ids);
  for (const r of db.all<{ task_id: string; blocker_id: string }>(
    "SELECT task_id, blocker_id FROM task_deps WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id, blocker_id",
    list,
  ))
    out.get(r.task_id)?.blocked_by.push(r.blocker_id);
  for (const r of db.all<{ task_id: string; blocker_id: string }>(
    "SELECT task_id, blocker_id FROM task_deps WHERE blocker_id IN (SELECT value FROM json_each(?)) ORDER BY blocker_id, task_id",
    list,
  ))
    out.get(r.blocker_id)?.blocking.push(r.task_id);
  return out;
}

/**
 * The links of a task `addTask` just made: tasks are never deleted and ids never reused, so nothing
 * can wait for it yet, and without blockers it waits for nothing: no query then (decision 0043).
 */
export function linksOfNew(db: Db, id: string, blockedBy: readonly string[] | undefined): Links {
  if (!blockedBy?.length) return { blocked_by: [], blocking: [] };
  return linksOf(db, [id]).get(id) ?? { blocked_by: [], blocking: [] };
}

export interface Chain {
  /** `title` as stored: open it through the codec to show it. */
  tasks: { id: string; title: string; state: string; assignee: string | null; open_blockers: number }[];
  /** Each link: `task_id` waits for `blocker_id`. */
  links: { task_id: string; blocker_id: string }[];
}

const CHAIN_LIMIT = 200;

/** Everything a task waits for and everything waiting on it, transitively (at most 200 tasks). */
export function chainOf(db: Db, id: string): Chain {
  const links = db.all<{ task_id: string; blocker_id: string }>(
    `WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT d.blocker_id FROM up JOIN task_deps d ON d.task_id = up.id LIMIT ${CHAIN_LIMIT}),
     down(id) AS (SELECT ?1 UNION SELECT d.task_id FROM down JOIN task_deps d ON d.blocker_id = down.id LIMIT ${CHAIN_LIMIT})
     SELECT task_id, blocker_id FROM task_deps WHERE task_id IN (SELECT id FROM up) AND blocker_id IN (SELECT id FROM up)
     UNION SELECT task_id, blocker_id FROM task_deps WHERE task_id IN (SELECT id FROM down) AND blocker_id IN (SELECT id FROM down)
     ORDER BY task_id, blocker_id`,
    id,
  );
  const ids = [...new Set([id, ...links.flatMap((l) => [l.task_id, l.blocker_id])])];
  const tasks = db.all<Chain["tasks"][number]>(
    "SELECT id, title, state, assignee, open_blockers FROM tasks WHERE id IN (SELECT value FROM json_each(?)) ORDER BY num",
    JSON.stringify(ids),
  );
  return { tasks, links };
}
