import type { AnyTool } from "../../define";
import { masc_cost_log } from "./cost-log";
import { masc_cost_report } from "./cost-report";

export const costTools: AnyTool[] = [masc_cost_log, masc_cost_report];
