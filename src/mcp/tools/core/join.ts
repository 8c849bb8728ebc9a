import { join } from "../../../room/agents";
import { defineTool } from "../../define";
import { agentName, capabilities } from "../../fields";

export const masc_join = defineTool({
  name: "masc_join",
  category: "core",
  description: "Join the room under your agent name; the name you give is the name you keep.",
  input: { agent_name: agentName, capabilities: capabilities.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, capabilities }, { db, now, room, session }) {
    const { agent, rejoined } = join(db, now, agent_name, capabilities);
    session.bindAgent(agent_name);
    return {
      joined: agent.name,
      room: room.name,
      rejoined,
      capabilities: JSON.parse(agent.capabilities) as string[],
      next: "take work with masc_claim_next or see the board with masc_tasks",
    };
  },
});
