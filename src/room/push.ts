import type { RoomEvent } from "./events";

/**
 * Whether an event is pushed to a listener acting as `agent`. Events aimed at someone (a mention,
 * a portal message) go to that agent only; `@all` and untargeted events go to everyone.
 */
export function isFor(event: RoomEvent, agent: string | null): boolean {
  if (event.target === null || event.target === "@all") return true;
  if (agent === null) return false;
  if (event.target === agent) return true;
  if (event.target.startsWith("@@")) return agent.split(/[-_]/)[0] === event.target.slice(2);
  return false;
}
