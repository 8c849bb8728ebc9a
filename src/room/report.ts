import { authEnabled } from "./auth";
import type { Db } from "./sql";
import { countByState } from "./tasks";

/** What a room tells the directory about itself. */
export interface RoomReport {
  name: string;
  last_activity: number;
  tasks_open: number;
  tasks_total: number;
  agents_active: number;
  pending_approvals: number;
  events: number;
  auth: boolean;
}

export function roomReport(db: Db, name: string): RoomReport {
  const byState = countByState(db);
  const last = db.one<{ seq: number | null; ts: number | null }>("SELECT seq, ts FROM events ORDER BY seq DESC LIMIT 1");
  return {
    name,
    last_activity: last?.ts ?? 0,
    tasks_open: byState.todo + byState.claimed + byState.in_progress,
    tasks_total: Object.values(byState).reduce((a, b) => a + b, 0),
    agents_active: db.one<{ n: number }>("SELECT COUNT(*) AS n FROM agents WHERE status = 'active'")?.n ?? 0,
    pending_approvals: db.one<{ n: number }>("SELECT COUNT(*) AS n FROM checkpoints WHERE state = 'pending'")?.n ?? 0,
    events: last?.seq ?? 0,
    auth: authEnabled(db),
  };
}
