import { revokeTokens } from "../../../room/auth";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_revoke = defineTool({
  name: "masc_auth_revoke",
  category: "auth",
  description: "Revoke every token of an agent at once.",
  input: { agent_name: otherAgent("Whose tokens to revoke") },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  handler({ agent_name }, { db, now }) {
    return { agent: agent_name, revoked: revokeTokens(db, now, agent_name) };
  },
});
