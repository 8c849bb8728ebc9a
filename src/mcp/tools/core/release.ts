import { showTask } from "../../../room/task-views";
import { transition } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, expectedVersion, taskId } from "../../fields";

export const masc_release = defineTool({
  name: "masc_release",
  category: "core",
  description: "Give your claimed or started task back to the board.",
  input: { agent_name: agentName, task_id: taskId, expected_version: expectedVersion },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, task_id, expected_version }, { db, now, room, caller }) {
    const task = transition(db, now, agent_name, task_id, "release", { expectedVersion: expected_version });
    return { released: task.id, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
