import * as z from "zod";
import { taskMetrics } from "../../../room/metrics";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_get_metrics = defineTool({
  name: "masc_get_metrics",
  category: "discovery",
  description: "Task outcomes per agent over recent days: done, cancelled or released, success rate, durations.",
  input: {
    agent_name: otherAgent("Only this agent (default: every agent)").optional(),
    days: z.number().int().min(1).max(365).default(7).describe("How many days back (1-365, default 7)"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, days }, { db, now }) {
    const agents = taskMetrics(db, now, days, agent_name);
    return { days, since: new Date(now - days * 86_400_000).toISOString(), agents, count: agents.length };
  },
});
