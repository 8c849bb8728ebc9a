import { releaseLocksOf } from "./locks";
import { closePortalsOf } from "./portals";
import type { Db } from "./sql";
import { releaseTasksOf } from "./tasks";

/**
 * Everything an agent holds goes back when it leaves or turns zombie. Each domain that lets an
 * agent hold something (claims, locks, portals) adds its release here.
 */
export function releaseHoldings(db: Db, now: number, agent: string, why: "left" | "zombie"): string[] {
  return [...releaseTasksOf(db, now, agent, why), ...releaseLocksOf(db, now, agent, why), ...closePortalsOf(db, now, agent, why)];
}
