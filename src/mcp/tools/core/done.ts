import { sealText, showTask } from "../../../room/task-views";
import { transition } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, expectedVersion, taskId, text } from "../../fields";

export const masc_done = defineTool({
  name: "masc_done",
  category: "core",
  description: "Mark your claimed or started task done, with optional notes.",
  input: { agent_name: agentName, task_id: taskId, notes: text(4000, "What was done").optional(), expected_version: expectedVersion },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, task_id, notes, expected_version }, { db, now, room, caller }) {
    const sealed = await sealText(room.codec, notes);
    const task = db.tx(() => transition(db, now, agent_name, task_id, "done", { notes: sealed, expectedVersion: expected_version }));
    return { done: task.id, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
