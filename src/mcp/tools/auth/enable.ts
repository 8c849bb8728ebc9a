import * as z from "zod";
import { authEnabled, enableAuth } from "../../../room/auth";
import { fail } from "../../../room/errors";
import { defineTool } from "../../define";

export const masc_auth_enable = defineTool({
  name: "masc_auth_enable",
  category: "auth",
  description: "Turn on auth for this room; returns the room secret once (it acts as admin and mints tokens).",
  input: { require_token: z.boolean().default(true).describe("false lets requests without a token in as read-only readers") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ require_token }, { db, now, session, caller }) {
    // Whoever turns auth on gets the room secret: on an open room that is only someone at the
    // machine itself (loopback, no caller) or the deploy's owner, never a token the owner minted.
    if (!authEnabled(db) && caller && caller.via !== "owner")
      fail("forbidden", "turning auth on for an open room needs a request from loopback or the owner secret (MASC_ADMIN_SECRET)");
    const secret = await enableAuth(db, now, require_token, caller?.agent ?? session.agent);
    return {
      enabled: true,
      require_token,
      room_secret: secret,
      next: "store the secret now, it is not shown again; send it as Authorization: Bearer <secret> and mint tokens with masc_auth_create_token",
    };
  },
});
