import type { Caller } from "../room/auth";
import { costReport } from "../room/costs";
import { chainOf, linksOf } from "../room/task-deps";
import { showTask } from "../room/task-views";
import { getTask, taskHistory } from "../room/tasks";
import { viewerOf } from "../room/visibility";
import type { DashboardRoom } from "./port";

/** One task as a lead reads it: its text, where it is worked on, how old, what happened, what it cost. */
export async function taskDetail(core: DashboardRoom, id: string, caller: Caller | null): Promise<Response> {
  const { db, codec } = core;
  const task = getTask(db, id);
  if (!task) return Response.json({ error: "task_not_found", message: `no task '${id}' in this room` }, { status: 404 });
  const now = Date.now();
  const history = await Promise.all(
    taskHistory(db, id, 100).map(async (h) => ({ ...h, detail: h.detail === null ? null : await codec.open("task", h.detail) })),
  );
  const cost = costReport(db, now, "all", { task_id: id });
  const chain = chainOf(db, id);
  const titles = await Promise.all(chain.tasks.map((t) => codec.open("task", t.title)));
  return Response.json({
    task: await showTask(codec, task, viewerOf(caller), linksOf(db, [id]).get(id)),
    chain: { tasks: chain.tasks.map((t, i) => ({ ...t, title: titles[i] ?? "" })), links: chain.links },
    age_s: Math.round((now - task.created_at) / 1000),
    history,
    cost: { total_usd: cost.total_cost_usd, entries: cost.total_entries, by_agent: cost.by_agent },
  });
}
