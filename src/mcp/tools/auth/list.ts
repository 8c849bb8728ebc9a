import { listTokens } from "../../../room/auth";
import { listGrants } from "../../../room/oauth";
import { defineTool } from "../../define";

export const masc_auth_list = defineTool({
  name: "masc_auth_list",
  category: "auth",
  description: "Every token and OAuth sign-in: agent, role, expiry, state (never the token).",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now }) {
    const tokens = listTokens(db, now);
    const oauth = listGrants(db);
    return { tokens, count: tokens.length, oauth };
  },
});
