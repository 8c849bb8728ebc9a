import { rateStatus } from "../../../room/ratelimit";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_rate_limit_status = defineTool({
  name: "masc_rate_limit_status",
  category: "ratelimit",
  description: "Your calls this minute per category, your limits, and when they reset.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ agent_name }, { db, now, caller }) {
    return rateStatus(db, now, agent_name, caller?.role ?? "worker");
  },
});
