import { authEnabled, listTokens, requireToken } from "../../../room/auth";
import { defineTool } from "../../define";

export const masc_auth_status = defineTool({
  name: "masc_auth_status",
  category: "auth",
  description: "Whether auth is on, and who you are to this room.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now, session, caller }) {
    const enabled = authEnabled(db);
    return {
      enabled,
      require_token: enabled ? requireToken(db) : false,
      active_tokens: listTokens(db, now).filter((t) => t.active).length,
      you: caller ? { agent: caller.agent, role: caller.role, via: caller.via } : { agent: session.agent, role: "admin", via: "auth_off" },
    };
  },
});
