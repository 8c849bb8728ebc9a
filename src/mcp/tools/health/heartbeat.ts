import { currentTasks, heartbeat, viewAgent } from "../../../room/agents";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_heartbeat = defineTool({
  name: "masc_heartbeat",
  category: "health",
  description: "Tell the room you are alive (any tool call also counts); revives a zombie.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name }, { db, now, room }) {
    const agent = heartbeat(db, now, agent_name);
    return {
      agent: viewAgent(agent, currentTasks(db).get(agent_name) ?? null),
      zombie_after: new Date(now + room.config.zombieThresholdMs).toISOString(),
    };
  },
});
