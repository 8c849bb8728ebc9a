import * as z from "zod";
import { createInvite, DEFAULT_INVITE_MINUTES } from "../../../room/oauth";
import { ROLES } from "../../../room/permissions";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_auth_invite = defineTool({
  name: "masc_auth_invite",
  category: "auth",
  description: "Mint a one-time OAuth sign-in invite for an agent and role.",
  input: {
    agent_name: otherAgent("Who the client acts as"),
    role: z.enum(ROLES).default("worker"),
    ttl_minutes: z.number().int().min(1).max(10080).default(DEFAULT_INVITE_MINUTES).describe("Minutes valid"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, role, ttl_minutes }, { db, now, caller }) {
    const { invite, expires_at } = await createInvite(db, now, agent_name, role, ttl_minutes, caller?.agent ?? null);
    return {
      agent: agent_name,
      role,
      invite,
      expires_at: new Date(expires_at).toISOString(),
      next: "add the room's MCP URL to the client; on the sign-in page, paste this invite (it works once)",
    };
  },
});
