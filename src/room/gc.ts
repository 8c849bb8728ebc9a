import { appendEvent } from "./events";
import type { Db } from "./sql";
import { archiveFinished } from "./tasks";

const DAY_MS = 86_400_000;

export interface GcReport {
  days: number;
  archived_tasks: number;
  removed_agents: number;
  pruned_events: number;
  pruned_stream_events: number;
}

/**
 * Tidies a room: finished tasks older than `days` go to the archive, agents gone for longer are
 * forgotten, and the event log and stream replay buffer lose what is older than that.
 */
export function collectGarbage(db: Db, now: number, days: number, actor: string | null): GcReport {
  const cutoff = now - days * DAY_MS;
  const report: GcReport = {
    days,
    archived_tasks: archiveFinished(db, now, days),
    removed_agents: db.run("DELETE FROM agents WHERE status = 'left' AND COALESCE(left_at, last_seen) <= ?", cutoff),
    // The newest event always stays, so seq keeps growing from where it was.
    pruned_events: db.run("DELETE FROM events WHERE ts <= ? AND seq < (SELECT MAX(seq) FROM events)", cutoff),
    pruned_stream_events: db.run("DELETE FROM sse_events WHERE ts <= ?", Math.max(cutoff, now - DAY_MS)),
  };
  appendEvent(db, now, { kind: "room_gc", actor, data: { ...report } });
  return report;
}
