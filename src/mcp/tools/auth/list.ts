import { listTokens } from "../../../room/auth";
import { defineTool } from "../../define";

export const masc_auth_list = defineTool({
  name: "masc_auth_list",
  category: "auth",
  description: "Every token's agent, role, expiry and state (never the token itself).",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now }) {
    const tokens = listTokens(db, now);
    return { tokens, count: tokens.length };
  },
});
