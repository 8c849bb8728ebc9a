import { showTask } from "../../../room/task-views";
import { updatePriority } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { priority, taskId } from "../../fields";

export const masc_update_priority = defineTool({
  name: "masc_update_priority",
  category: "core",
  description: "Change a task's priority (1 highest … 5 lowest).",
  input: { task_id: taskId, priority },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  async handler({ task_id, priority }, { db, now, room, session, caller }) {
    const task = updatePriority(db, now, session.agent, task_id, priority);
    return { task_id: task.id, priority: task.priority, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
