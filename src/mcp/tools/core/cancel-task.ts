import { sealText, showTask, transition } from "../../../room/tasks";
import { defineTool } from "../../define";
import { agentName, taskId, text } from "../../fields";

export const masc_cancel_task = defineTool({
  name: "masc_cancel_task",
  category: "core",
  description: "Cancel a task: any todo task, or one assigned to you.",
  input: { agent_name: agentName, task_id: taskId, reason: text(1000, "Why it is cancelled").optional() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  async handler({ agent_name, task_id, reason }, { db, now, room }) {
    const sealed = await sealText(room.codec, reason);
    const task = db.tx(() => transition(db, now, agent_name, task_id, "cancel", { reason: sealed }));
    return { cancelled: task.id, task: await showTask(room.codec, task) };
  },
});
