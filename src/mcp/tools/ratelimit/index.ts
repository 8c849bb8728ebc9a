import type { AnyTool } from "../../define";
import { masc_rate_limit_config } from "./config";
import { masc_rate_limit_status } from "./status";

export const ratelimitTools: AnyTool[] = [masc_rate_limit_status, masc_rate_limit_config];
