import * as z from "zod";
import { revokeTokens } from "../../../room/auth";
import { revokeGrants } from "../../../room/oauth";
import { INVITE_ID_RE, withdrawInvite, withdrawInvites } from "../../../room/oauth-revoke";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_revoke = defineTool({
  name: "masc_auth_revoke",
  category: "auth",
  description: "Revoke every token, OAuth sign-in and unused invite of an agent, or only one invite.",
  input: {
    agent_name: otherAgent("Whose tokens to revoke"),
    invite_id: z
      .string()
      .regex(INVITE_ID_RE, "must be the 12-character id masc_auth_list shows for the invite")
      .optional()
      .describe("Only withdraw this invite (id from masc_auth_list)"),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  handler({ agent_name, invite_id }, { db, now }) {
    if (invite_id !== undefined) {
      return { agent: agent_name, invite_id, revoked_invites: withdrawInvite(db, now, agent_name, invite_id) };
    }
    return db.tx(() => ({
      agent: agent_name,
      revoked: revokeTokens(db, now, agent_name),
      revoked_oauth: revokeGrants(db, now, agent_name),
      revoked_invites: withdrawInvites(db, now, agent_name),
    }));
  },
});
