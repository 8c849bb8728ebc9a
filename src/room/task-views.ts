import type { TextCodec } from "./codec";
import type { Db } from "./sql";
import { type Links, linksOf } from "./task-deps";
import type { TaskRow } from "./tasks";
import { type Viewer, worktreeFor } from "./visibility";

/** How tasks are shown: to tools, resources, GraphQL and the dashboard. */
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * One task as `viewer` may see it: below worker its worktree names no absolute path. `blocked` is
 * whether it waits for an open task; `links` (from linksOf) adds what it waits for and what waits on it.
 */
export function viewTask(t: TaskRow, viewer: Viewer, links?: Links) {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    priority: t.priority,
    status: t.state,
    assignee: t.assignee,
    created_at: iso(t.created_at),
    claimed_at: iso(t.claimed_at),
    started_at: iso(t.started_at),
    completed_at: iso(t.completed_at),
    notes: t.notes,
    cancelled_by: t.cancelled_by,
    cancelled_at: iso(t.cancelled_at),
    reason: t.reason,
    version: t.version,
    worktree: worktreeFor(viewer, t.worktree ? (JSON.parse(t.worktree) as Record<string, unknown>) : null),
    blocked: t.open_blockers > 0,
    ...(links ? { blocked_by: links.blocked_by, blocking: links.blocking } : {}),
  };
}

/** viewTask with the task's text opened (it may be sealed at rest). */
export async function showTask(codec: TextCodec, t: TaskRow, viewer: Viewer, links?: Links) {
  const open = (v: string | null) => (v === null ? Promise.resolve(null) : codec.open("task", v));
  const [title, description, notes, reason] = await Promise.all([open(t.title), open(t.description), open(t.notes), open(t.reason)]);
  return { ...viewTask(t, viewer, links), title: title ?? "", description: description ?? "", notes, reason };
}

/** Seals the optional text of a task write before the synchronous domain call. */
export async function sealText(codec: TextCodec, text: string | undefined): Promise<string | undefined> {
  return text === undefined ? undefined : codec.seal("task", text);
}

/** Tasks of a page with their links both ways, opened for `viewer`. */
export async function showTasks(db: Db, codec: TextCodec, tasks: readonly TaskRow[], viewer: Viewer) {
  const links = linksOf(
    db,
    tasks.map((t) => t.id),
  );
  return Promise.all(tasks.map((t) => showTask(codec, t, viewer, links.get(t.id))));
}
