import { authEnabled } from "../../room/auth";
import { fail } from "../../room/errors";
import { atLeast, requiredRole } from "../../room/permissions";
import type { Guard } from "../define";

/** Arguments that name who is acting; with auth on they must be the token's own agent. */
const ACTOR_FIELDS = ["agent_name", "proposer"] as const;

/** With auth on: the caller's role must reach the tool's, and an agent can act only as itself. */
export const authGuard: Guard = (tool, args, ctx) => {
  const caller = ctx.caller;
  if (!caller) {
    if (authEnabled(ctx.db)) fail("unauthorized", "this room requires a token: send Authorization: Bearer <token>");
    return;
  }
  const needed = requiredRole(tool.name);
  if (!atLeast(caller.role, needed)) {
    fail("forbidden", `${tool.name} needs role ${needed}; ${caller.agent ?? "this caller"} is ${caller.role}`, {
      needed,
      role: caller.role,
    });
  }
  // The auth tools name the agent they act on, not the caller; they check that themselves.
  if (caller.role === "admin" || tool.category === "auth") return;
  for (const field of ACTOR_FIELDS) {
    const named = args[field];
    if (typeof named === "string" && named !== caller.agent) {
      fail("forbidden", `your token is for ${caller.agent}; you cannot act as ${named}`, { field, token_agent: caller.agent });
    }
  }
};
