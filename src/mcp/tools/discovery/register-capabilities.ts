import { updateAgent } from "../../../room/discovery";
import { defineTool } from "../../define";
import { agentName, capabilities } from "../../fields";

export const masc_register_capabilities = defineTool({
  name: "masc_register_capabilities",
  category: "discovery",
  description: "Declare what you can do (replaces your capability list), so others find you with masc_find_by_capability.",
  input: { agent_name: agentName, capabilities },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, capabilities }, { db, now }) {
    const agent = updateAgent(db, now, agent_name, { capabilities });
    return { agent: agent.name, capabilities: agent.capabilities };
  },
});
