import type { AnyTool } from "../../define";
import { masc_a2a_discover } from "./a2a-discover";
import { masc_agent_update } from "./agent-update";
import { masc_find_by_capability } from "./find-by-capability";
import { masc_get_metrics } from "./get-metrics";
import { masc_register_capabilities } from "./register-capabilities";

export const discoveryTools: AnyTool[] = [
  masc_register_capabilities,
  masc_agent_update,
  masc_find_by_capability,
  masc_a2a_discover,
  masc_get_metrics,
];
