import { disableAuth } from "../../../room/auth";
import { defineTool } from "../../define";

export const masc_auth_disable = defineTool({
  name: "masc_auth_disable",
  category: "auth",
  description: "Turn auth off for this room; every token, OAuth sign-in and unused invite is revoked.",
  input: {},
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  handler(_args, { db, now, caller }) {
    const revoked = disableAuth(db, now, caller?.agent ?? null);
    return { enabled: false, revoked };
  },
});
