import { leave } from "../../../room/departures";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_leave = defineTool({
  name: "masc_leave",
  category: "core",
  description: "Leave the room; your claimed tasks go back to the board.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name }, { db, now }) {
    const { released } = leave(db, now, agent_name);
    return { left: agent_name, released };
  },
});
