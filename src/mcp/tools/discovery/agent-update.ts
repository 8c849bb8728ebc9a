import * as z from "zod";
import { DECLARED_STATUSES, updateAgent } from "../../../room/discovery";
import { fail } from "../../../room/errors";
import { defineTool } from "../../define";
import { agentName, capabilities } from "../../fields";

export const masc_agent_update = defineTool({
  name: "masc_agent_update",
  category: "discovery",
  description: "Update your declared status and/or capabilities.",
  input: {
    agent_name: agentName,
    status: z.enum(DECLARED_STATUSES).optional().describe("What you tell others: available, busy or away"),
    capabilities: capabilities.optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, status, capabilities }, { db, now }) {
    if (status === undefined && capabilities === undefined) fail("invalid_input", "give status and/or capabilities to update");
    return { agent: updateAgent(db, now, agent_name, { status, capabilities }) };
  },
});
