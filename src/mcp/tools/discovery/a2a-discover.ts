import { agentCard } from "../../../http/agent-card";
import { discoverAgents } from "../../../room/discovery";
import { defineTool } from "../../define";
import { capability } from "../../fields";

export const masc_a2a_discover = defineTool({
  name: "masc_a2a_discover",
  category: "discovery",
  description: "Who can do what: room agents (optionally by capability), who is active, and this server's A2A agent card.",
  input: { capability: capability.optional() },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ capability }, { db, now, room }) {
    const agents = discoverAgents(db, now, { capability });
    return {
      room: room.name,
      agents,
      count: agents.length,
      active: agents.filter((a) => a.is_active).map((a) => a.name),
      agent_card: agentCard("", room.config.version, room.name),
      agent_card_url: "/.well-known/agent-card.json",
    };
  },
});
