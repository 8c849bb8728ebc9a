import { requireJoined } from "./agents";
import { appendEvent } from "./events";
import { releaseHoldings } from "./holdings";
import type { Db } from "./sql";

// Leaving and turning zombie give back what the agent holds, so they sit above every holding
// domain (tasks, locks, portals), which only ask agents whether someone is in the room.

export function leave(db: Db, now: number, name: string): { released: string[] } {
  requireJoined(db, name);
  db.run("UPDATE agents SET status = 'left', left_at = ?, last_seen = ? WHERE name = ?", now, now, name);
  const released = releaseHoldings(db, now, name, "left");
  appendEvent(db, now, { kind: "agent_left", actor: name, data: { agent: name, released } });
  return { released };
}

/** Marks agents silent for longer than the threshold as zombies and gives their work back. */
export function markZombies(db: Db, now: number, thresholdMs: number): string[] {
  const stale = db.all<{ name: string }>("SELECT name FROM agents WHERE status = 'active' AND last_seen < ?", now - thresholdMs);
  for (const { name } of stale) {
    db.run("UPDATE agents SET status = 'zombie' WHERE name = ?", name);
    const released = releaseHoldings(db, now, name, "zombie");
    appendEvent(db, now, { kind: "agent_zombie", actor: name, data: { agent: name, released } });
  }
  return stale.map((r) => r.name);
}

/** Removes zombies from the room for good (they must join again). */
export function cleanupZombies(db: Db, now: number, thresholdMs: number): string[] {
  markZombies(db, now, thresholdMs);
  const zombies = db.all<{ name: string }>("SELECT name FROM agents WHERE status = 'zombie'").map((r) => r.name);
  for (const name of zombies) {
    db.run("UPDATE agents SET status = 'left', left_at = ? WHERE name = ?", now, name);
    // Marking released its work already; anything taken since goes back too, as on leave.
    const released = releaseHoldings(db, now, name, "left");
    appendEvent(db, now, { kind: "agent_left", actor: name, data: { agent: name, reason: "zombie_cleanup", released } });
  }
  return zombies;
}
