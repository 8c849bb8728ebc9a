import * as z from "zod";
import { DEFAULT_TTL_HOURS, findToken, refreshToken } from "../../../room/auth";
import { fail } from "../../../room/errors";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_refresh = defineTool({
  name: "masc_auth_refresh",
  category: "auth",
  description: "Swap a token (even an expired one) for a new one with a fresh expiry; the old one is revoked.",
  input: { agent_name: otherAgent("The token's agent"), token: z.string().min(1).max(200).describe("The current token") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, token }, { db, now, caller }) {
    if (caller && caller.role !== "admin" && caller.agent !== agent_name)
      fail("forbidden", `your token is for ${caller.agent}; you cannot refresh ${agent_name}'s`);
    const row = await findToken(db, token);
    if (!row || row.agent !== agent_name) fail("unauthorized", `that is not a token of ${agent_name} in this room`);
    if (row.revoked_at !== null) fail("unauthorized", `that token of ${agent_name} was revoked; ask an admin for a new one`);
    const fresh = await refreshToken(db, now, row, DEFAULT_TTL_HOURS);
    return { agent: agent_name, role: row.role, token: fresh.token, expires_at: new Date(fresh.expires_at).toISOString() };
  },
});
