import type { AnyTool } from "../../define";
import { masc_budget_set } from "./budget-set";
import { masc_budget_status } from "./budget-status";
import { masc_cost_log } from "./cost-log";
import { masc_cost_report } from "./cost-report";

export const costTools: AnyTool[] = [masc_cost_log, masc_cost_report, masc_budget_set, masc_budget_status];
