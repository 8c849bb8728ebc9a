import * as z from "zod";
import { BUDGET_PERIODS, setBudget } from "../../../room/budgets";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_budget_set = defineTool({
  name: "masc_budget_set",
  category: "cost",
  description: "Admin: cap the spend of the room or one agent; at the cap, claims and worktrees are refused.",
  input: {
    limit_usd: z.number().min(0, "must be 0 or more").max(1_000_000).describe("Cap in US dollars"),
    agent_name: otherAgent("Cap this agent only (default: the whole room)").optional(),
    period: z.enum(BUDGET_PERIODS).default("total").describe("total (all time) or day (the current UTC day)"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ limit_usd, agent_name, period }, { db, now, session, caller }) {
    const by = caller?.agent ?? session.agent ?? null;
    return { budget: db.tx(() => setBudget(db, now, { agent: agent_name ?? null, period, limit_usd, set_by: by })) };
  },
});
