import * as z from "zod";
import { costReport, PERIODS } from "../../../room/costs";
import { defineTool } from "../../define";
import { otherAgent, taskId } from "../../fields";

export const masc_cost_report = defineTool({
  name: "masc_cost_report",
  category: "cost",
  description: "Cost and tokens over a period, totalled by agent, task and model.",
  input: {
    period: z.enum(PERIODS).default("all").describe("hourly, daily, weekly, monthly (last 30 days) or all"),
    agent: otherAgent("Only this agent").optional(),
    task_id: taskId.optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ period, agent, task_id }, { db, now }) {
    return costReport(db, now, period, { agent, task_id });
  },
});
