import { nextZombieDue } from "./agents";
import type { RoomConfig } from "./config";
import { markZombies } from "./departures";
import { expireLocks, nextLockExpiry } from "./locks";
import { dropExpiredInvites, nextInviteExpiry } from "./oauth";
import { nextStaleWindow, pruneRateWindows } from "./ratelimit";
import { indexPending, searchPending } from "./search";
import type { Db } from "./sql";
import { archiveFinished } from "./tasks";
import { closeExpired, nextDeadline } from "./votes";

/** Work the room alarm does. Each job says when it is next due; the alarm is armed for the earliest. */
export interface Job {
  name: string;
  due(db: Db, now: number, config: RoomConfig): number | null;
  run(db: Db, now: number, config: RoomConfig): void;
}

const HOUR_MS = 3_600_000;
const SSE_RETENTION_MS = 24 * HOUR_MS;

export const JOBS: Job[] = [
  {
    name: "vote deadlines",
    due: (db) => nextDeadline(db),
    run: (db, now) => {
      closeExpired(db, now);
    },
  },
  {
    name: "zombies",
    due: (db, _now, c) => nextZombieDue(db, c.zombieThresholdMs),
    run: (db, now, c) => {
      markZombies(db, now, c.zombieThresholdMs);
    },
  },
  {
    name: "locks",
    due: (db) => nextLockExpiry(db),
    run: (db, now) => {
      expireLocks(db, now);
    },
  },
  {
    name: "rate windows",
    due: (db) => nextStaleWindow(db),
    run: (db, now) => {
      pruneRateWindows(db, now);
    },
  },
  {
    name: "oauth invites",
    due: (db) => nextInviteExpiry(db),
    run: (db, now) => {
      dropExpiredInvites(db, now);
    },
  },
  {
    // Texts queued for the search index since the last batch (decision 0030).
    name: "search index",
    due: (db, now) => (searchPending(db) ? now : null),
    run: (db) => {
      indexPending(db);
    },
  },
  {
    name: "retention",
    due: (db) => {
      // Rows are appended in time order, so the first by id is the oldest; MIN(ts) would scan
      // the whole replay buffer on every write, since the alarm is re-armed after each.
      const oldest = db.one<{ ts: number }>("SELECT ts FROM sse_events ORDER BY id LIMIT 1")?.ts;
      return oldest === undefined ? null : oldest + SSE_RETENTION_MS;
    },
    run: (db, now) => {
      db.run("DELETE FROM sse_events WHERE ts <= ?", now - SSE_RETENTION_MS);
      db.run("DELETE FROM session_push WHERE session_id NOT IN (SELECT id FROM sessions)");
      archiveFinished(db, now, 7);
    },
  },
];

export function runDueJobs(db: Db, now: number, config: RoomConfig): string[] {
  const ran: string[] = [];
  for (const job of JOBS) {
    const due = job.due(db, now, config);
    if (due !== null && due <= now) {
      db.tx(() => job.run(db, now, config));
      ran.push(job.name);
    }
  }
  return ran;
}

export function nextDue(db: Db, now: number, config: RoomConfig): number | null {
  let earliest: number | null = null;
  for (const job of JOBS) {
    const due = job.due(db, now, config);
    if (due !== null && (earliest === null || due < earliest)) earliest = due;
  }
  return earliest;
}
