import { requireOverride } from "../../../room/permissions";
import { sealText, showTask } from "../../../room/task-views";
import { transition } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, force, taskId, text } from "../../fields";

export const masc_cancel_task = defineTool({
  name: "masc_cancel_task",
  category: "core",
  description: "Cancel a task: any todo task, or one assigned to you.",
  input: { agent_name: agentName, task_id: taskId, reason: text(1000, "Why it is cancelled").optional(), force },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  async handler({ agent_name, task_id, reason, force }, { db, now, room, caller }) {
    if (force) requireOverride(caller, "masc_cancel_task");
    const sealed = await sealText(room.codec, reason);
    const task = db.tx(() => transition(db, now, agent_name, task_id, "cancel", { reason: sealed, force }));
    return { cancelled: task.id, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
