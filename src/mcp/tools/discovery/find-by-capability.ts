import { discoverAgents } from "../../../room/discovery";
import { defineTool } from "../../define";
import { capability } from "../../fields";

export const masc_find_by_capability = defineTool({
  name: "masc_find_by_capability",
  category: "discovery",
  description: "Agents in the room that declared a capability (case-insensitive), active ones first.",
  input: { capability },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ capability }, { db, now }) {
    const agents = discoverAgents(db, now, { capability });
    return { capability, agents, count: agents.length, active: agents.filter((a) => a.is_active).length };
  },
});
