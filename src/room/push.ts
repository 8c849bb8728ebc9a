import type { RoomEvent } from "./events";
import { mentionMatches, typeOf } from "./mentions";

/**
 * Whether an event is pushed to a listener acting as `agent`. Events aimed at someone (a mention,
 * a portal message) go to that agent only; `@all` and untargeted events go to everyone. A message
 * naming several agents (`data.mentions`) goes to each of them, not only the first.
 */
export function isFor(event: RoomEvent, agent: string | null): boolean {
  if (event.target === null || event.target === "@all") return true;
  if (agent === null) return false;
  if (mentionMatches(event.target, agent)) return true;
  const mentions = event.data.mentions;
  return Array.isArray(mentions) && mentions.some((m) => typeof m === "string" && mentionMatches(m, agent));
}

/**
 * The same rule as `isFor` as an SQL condition over an `events` row aliased `e`, so counts and
 * pages are computed in SQLite. Bind the returned params in order.
 */
export function forAgentSql(agent: string): { sql: string; params: string[] } {
  const type = `@@${typeOf(agent)}`;
  return {
    sql: `(e.target IS NULL OR e.target IN (?, ?, '@all')
      OR EXISTS (SELECT 1 FROM json_each(e.data, '$.mentions') m WHERE m.value IN (?, ?, '@all')))`,
    params: [agent, type, agent, type],
  };
}
