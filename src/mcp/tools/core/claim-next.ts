import { showTask } from "../../../room/task-views";
import { claimNext } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_claim_next = defineTool({
  name: "masc_claim_next",
  category: "core",
  description: "Claim the best unblocked todo task: highest priority (aged tasks rise), then most work unblocked, then oldest.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name }, { db, now, room, caller }) {
    const task = claimNext(db, now, agent_name);
    if (!task) return { claimed: null, message: "no claimable todo task on the board (all taken, or waiting for others)" };
    return { claimed: task.id, task: await showTask(room.codec, task, viewerOf(caller)) };
  },
});
