import { listTokens } from "../../../room/auth";
import { listGrants } from "../../../room/oauth";
import { listInvites } from "../../../room/oauth-revoke";
import { defineTool } from "../../define";

export const masc_auth_list = defineTool({
  name: "masc_auth_list",
  category: "auth",
  description: "Every token, OAuth sign-in and invite: agent, role, expiry, state (never the secret).",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now }) {
    const tokens = listTokens(db, now);
    const oauth = listGrants(db);
    return { tokens, count: tokens.length, oauth, invites: listInvites(db, now) };
  },
});
