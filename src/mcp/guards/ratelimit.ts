import { categoryOf, hit, rateLimitsOn } from "../../room/ratelimit";
import type { Guard } from "../pipeline";

/**
 * Every state-changing call counts against its agent's per-minute budget for its category.
 * Reads are not counted: listening and polling must never lock an agent out of its own room.
 */
export const rateLimitGuard: Guard = (tool, args, ctx) => {
  if (tool.annotations.readOnlyHint || !rateLimitsOn(ctx.db)) return;
  const caller = ctx.caller;
  const named = typeof args.agent_name === "string" ? args.agent_name : null;
  const who = caller?.agent ?? named ?? ctx.session.agent ?? `session:${ctx.session.id.slice(0, 8)}`;
  hit(ctx.db, ctx.now, who, categoryOf(tool.name), caller?.role ?? "worker");
};
