import { getAgent } from "../room/agents";
import { unreadFor } from "../room/messages";
import type { Decorator } from "./pipeline";

/**
 * Many clients never show MCP notifications to the model, so every result tells the calling agent
 * how many messages wait for it. Silent when there are none.
 */
export const unreadHint: Decorator = (_tool, args, ctx) => {
  const agent = typeof args.agent_name === "string" ? args.agent_name : ctx.session.agent;
  if (!agent || (getAgent(ctx.db, agent)?.status ?? "left") === "left") return null;
  const { count, mentions } = unreadFor(ctx.db, agent);
  if (count === 0) return null;
  const shown = count >= 1000 ? "1000+" : String(count);
  const ment = mentions > 0 ? ` (${mentions} mention${mentions === 1 ? "" : "s"})` : "";
  return `[masc] ${shown} unread for ${agent}${ment} — masc_messages or masc_listen`;
};
