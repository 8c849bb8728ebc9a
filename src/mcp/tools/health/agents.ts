import * as z from "zod";
import { listAgents } from "../../../room/agents";
import { defineTool } from "../../define";

export const masc_agents = defineTool({
  name: "masc_agents",
  category: "health",
  description: "Agents in the room with status, zombie flag, current task and last activity.",
  input: { include_left: z.boolean().default(false).describe("Also list agents that left") },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ include_left }, { db }) {
    const agents = listAgents(db, include_left);
    return { agents, count: agents.length };
  },
});
