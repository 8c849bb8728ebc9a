import { unreadEpoch } from "../room/events";
import { type UnreadTally, unreadTally } from "../room/messages";
import type { Db } from "../room/sql";
import type { Decorator } from "./define";

/**
 * Each room's last count per agent, so the next call counts only what came after it, or nothing
 * at all when no message, arrival, departure or read happened since (most calls of a busy room).
 */
const tallies = new WeakMap<Db, Map<string, UnreadTally & { epoch: number }>>();

/**
 * Many clients never show MCP notifications to the model, so every result tells the calling agent
 * how many messages wait for it. Silent when there are none.
 */
export const unreadHint: Decorator = (_tool, args, ctx) => {
  const agent = typeof args.agent_name === "string" ? args.agent_name : ctx.session.agent;
  if (!agent) return null;
  let mine = tallies.get(ctx.db);
  if (!mine) {
    mine = new Map();
    tallies.set(ctx.db, mine);
  }
  const prev = mine.get(agent);
  const tally = prev?.epoch === unreadEpoch(ctx.db) ? prev : unreadTally(ctx.db, agent, prev);
  if (!tally) {
    mine.delete(agent);
    return null;
  }
  // Taken after counting: creating the agent's cursor while counting moves the epoch.
  if (tally !== prev) mine.set(agent, { ...tally, epoch: unreadEpoch(ctx.db) });
  const { count, mentions } = tally;
  if (count === 0) return null;
  const shown = count >= 1000 ? "1000+" : String(count);
  const ment = mentions > 0 ? ` (${mentions} mention${mentions === 1 ? "" : "s"})` : "";
  return `[masc] ${shown} unread for ${agent}${ment} — masc_messages or masc_listen`;
};
