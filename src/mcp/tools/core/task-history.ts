import { taskHistory } from "../../../room/tasks";
import { defineTool } from "../../define";
import { limit, taskId } from "../../fields";

export const masc_task_history = defineTool({
  name: "masc_task_history",
  category: "core",
  description: "A task's transitions, newest first: who did what and when.",
  input: { task_id: taskId, limit: limit(50, 500) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async handler({ task_id, limit }, { db, room }) {
    const history = await Promise.all(
      taskHistory(db, task_id, limit).map(async (h) => ({
        ...h,
        detail: h.detail === null ? null : await room.codec.open("task", h.detail),
      })),
    );
    return { task_id, history };
  },
});
