import type { Db } from "./sql";

const DAY_MS = 86_400_000;

export interface AgentMetrics {
  agent: string;
  tasks_done: number;
  tasks_cancelled: number;
  tasks_released: number;
  /** Cancelled plus released: work that was taken and not finished. */
  failures: number;
  success_rate: number | null;
  avg_duration_s: number | null;
  p50_duration_s: number | null;
  max_duration_s: number | null;
}

function blank(agent: string): AgentMetrics {
  return {
    agent,
    tasks_done: 0,
    tasks_cancelled: 0,
    tasks_released: 0,
    failures: 0,
    success_rate: null,
    avg_duration_s: null,
    p50_duration_s: null,
    max_duration_s: null,
  };
}

/**
 * Per-agent task outcomes over the last `days`, from the task rows and their history. Duration is
 * claim (or start) to done.
 */
export function taskMetrics(db: Db, now: number, days: number, agent?: string): AgentMetrics[] {
  const since = now - days * DAY_MS;
  const who = agent ?? null;
  const byAgent = new Map<string, AgentMetrics>();
  const get = (name: string) => {
    const m = byAgent.get(name) ?? blank(name);
    byAgent.set(name, m);
    return m;
  };
  const durations = new Map<string, number[]>();
  const done = db.all<{ assignee: string; d: number | null }>(
    `SELECT assignee, completed_at - COALESCE(claimed_at, started_at) AS d FROM tasks
     WHERE state = 'done' AND completed_at >= ? AND assignee IS NOT NULL AND (? IS NULL OR assignee = ?)`,
    since,
    who,
    who,
  );
  for (const row of done) {
    get(row.assignee).tasks_done++;
    if (row.d !== null) durations.set(row.assignee, [...(durations.get(row.assignee) ?? []), row.d / 1000]);
  }
  const counted = db.all<{ actor: string; action: string; n: number }>(
    `SELECT actor, action, COUNT(*) AS n FROM task_history
     WHERE action IN ('cancelled', 'released') AND from_state IN ('claimed', 'in_progress') AND ts >= ? AND actor IS NOT NULL AND (? IS NULL OR actor = ?)
     GROUP BY actor, action`,
    since,
    who,
    who,
  );
  for (const row of counted) {
    const m = get(row.actor);
    if (row.action === "cancelled") m.tasks_cancelled += row.n;
    else m.tasks_released += row.n;
  }
  for (const m of byAgent.values()) {
    m.failures = m.tasks_cancelled + m.tasks_released;
    const attempts = m.tasks_done + m.failures;
    m.success_rate = attempts === 0 ? null : Math.round((m.tasks_done / attempts) * 1000) / 1000;
    const ds = (durations.get(m.agent) ?? []).sort((a, b) => a - b);
    if (ds.length > 0) {
      m.avg_duration_s = Math.round(ds.reduce((a, b) => a + b, 0) / ds.length);
      m.p50_duration_s = Math.round(ds[Math.floor((ds.length - 1) / 2)] ?? 0);
      m.max_duration_s = Math.round(ds.at(-1) ?? 0);
    }
  }
  if (agent && !byAgent.has(agent)) byAgent.set(agent, blank(agent));
  return [...byAgent.values()].sort((a, b) => b.tasks_done - a.tasks_done || a.agent.localeCompare(b.agent));
}
