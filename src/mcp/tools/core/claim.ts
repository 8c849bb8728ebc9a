import { showTask } from "../../../room/task-views";
import { transition } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, expectedVersion, taskId } from "../../fields";

export const masc_claim = defineTool({
  name: "masc_claim",
  category: "core",
  description: "Claim a todo task for yourself; fails naming the holder if someone has it.",
  input: { agent_name: agentName, task_id: taskId, expected_version: expectedVersion },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  async handler({ agent_name, task_id, expected_version }, { db, now, room, caller }) {
    const task = transition(db, now, agent_name, task_id, "claim", { expectedVersion: expected_version });
    return { claimed: task.id, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
