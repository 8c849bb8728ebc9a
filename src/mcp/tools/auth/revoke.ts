import { revokeTokens } from "../../../room/auth";
import { revokeGrants } from "../../../room/oauth";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_revoke = defineTool({
  name: "masc_auth_revoke",
  category: "auth",
  description: "Revoke every token and OAuth sign-in of an agent.",
  input: { agent_name: otherAgent("Whose tokens to revoke") },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  handler({ agent_name }, { db, now }) {
    return db.tx(() => ({
      agent: agent_name,
      revoked: revokeTokens(db, now, agent_name),
      revoked_oauth: revokeGrants(db, now, agent_name),
    }));
  },
});
