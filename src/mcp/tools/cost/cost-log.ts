import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { logCost } from "../../../room/costs";
import { defineTool } from "../../define";
import { agentName, taskId } from "../../fields";

const tokens = (what: string) => z.number().int().min(0).max(1_000_000_000).optional().describe(what);

export const masc_cost_log = defineTool({
  name: "masc_cost_log",
  category: "cost",
  description: "Record tokens and money an agent spent, optionally on a task.",
  input: {
    agent_name: agentName,
    model: z.string().min(1).max(100).optional().describe("Model name, e.g. claude-sonnet-4"),
    input_tokens: tokens("Prompt tokens"),
    output_tokens: tokens("Completion tokens"),
    cost_usd: z.number().min(0).max(100_000).describe("Cost in US dollars"),
    task_id: taskId.optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name, ...entry }, { db, now }) {
    requireJoined(db, agent_name);
    const id = logCost(db, now, { agent: agent_name, ...entry });
    return { logged: id, agent: agent_name, cost_usd: entry.cost_usd };
  },
});
