import { requiredRole } from "../../room/permissions";
import { categoryOf, hit, rateLimitsOn } from "../../room/ratelimit";
import type { AnyTool, Guard } from "../define";

/**
 * A read never counts: a read-only tool, or anything a reader may call (reading messages, listening,
 * heartbeats, joining, switching mode …: it moves only the caller's own cursors and presence).
 * Derived from the annotations and the permission table, so a new tool is classified by them.
 */
export function countsAgainstBudget(tool: AnyTool): boolean {
  return !tool.annotations.readOnlyHint && requiredRole(tool.name) !== "reader";
}

/**
 * Every state-changing call counts against its agent's per-minute budget for its category.
 * Reads are not counted: listening and polling must never lock an agent out of its own room.
 */
export const rateLimitGuard: Guard = (tool, args, ctx) => {
  if (!countsAgainstBudget(tool) || !rateLimitsOn(ctx.db)) return;
  const caller = ctx.caller;
  const named = typeof args.agent_name === "string" ? args.agent_name : null;
  const who = caller?.agent ?? named ?? ctx.session.agent ?? `session:${ctx.session.id.slice(0, 8)}`;
  hit(ctx.db, ctx.now, who, categoryOf(tool.name), caller?.role ?? "worker");
};
