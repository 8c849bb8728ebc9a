import { budgetStatus } from "../../../room/budgets";
import { defineTool } from "../../define";

export const masc_budget_status = defineTool({
  name: "masc_budget_status",
  category: "cost",
  description: "Spending caps of the room and its agents, with what was spent against each.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now }) {
    const budgets = budgetStatus(db, now);
    return { budgets, exceeded: budgets.filter((b) => b.exceeded).length };
  },
});
