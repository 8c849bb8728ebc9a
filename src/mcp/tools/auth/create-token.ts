import * as z from "zod";
import { createToken, DEFAULT_TTL_HOURS } from "../../../room/auth";
import { ROLES } from "../../../room/permissions";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_create_token = defineTool({
  name: "masc_auth_create_token",
  category: "auth",
  description: "Mint a token bound to an agent name and role; it is shown once.",
  input: {
    agent_name: otherAgent("The agent the token is for; it can act only as this name"),
    role: z.enum(ROLES).default("worker").describe("reader (read-only), worker (claim, lock, broadcast) or admin"),
    ttl_hours: z.number().int().min(1).max(8760).default(DEFAULT_TTL_HOURS).describe("Hours until it expires (default 24)"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, role, ttl_hours }, { db, now }) {
    const { token, expires_at } = await createToken(db, now, agent_name, role, ttl_hours);
    return {
      agent: agent_name,
      role,
      token,
      expires_at: new Date(expires_at).toISOString(),
      next: "send it as Authorization: Bearer <token>",
    };
  },
});
