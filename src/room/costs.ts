import { noteCrossings } from "./budgets";
import { appendEvent } from "./events";
import type { Db } from "./sql";

export const PERIODS = ["hourly", "daily", "weekly", "monthly", "all"] as const;
export type Period = (typeof PERIODS)[number];
const SPAN_MS: Record<Exclude<Period, "all">, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
};

export interface CostEntry {
  agent: string;
  model?: string | null;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd: number;
  task_id?: string | null;
}

export function logCost(db: Db, now: number, e: CostEntry): number {
  const row = db.one<{ id: number }>(
    "INSERT INTO costs (ts, agent, model, input_tokens, output_tokens, cost_usd, task_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    now,
    e.agent,
    e.model ?? null,
    e.input_tokens ?? 0,
    e.output_tokens ?? 0,
    e.cost_usd,
    e.task_id ?? null,
  );
  appendEvent(db, now, {
    kind: "cost_logged",
    actor: e.agent,
    data: { cost_usd: e.cost_usd, model: e.model ?? null, task_id: e.task_id ?? null },
  });
  noteCrossings(db, now, e.agent);
  return row?.id ?? 0;
}

interface Group {
  key: string | null;
  entries: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
}

/** Totals over the period (the last hour, day, week, 30 days, or all time), grouped three ways. */
export function costReport(db: Db, now: number, period: Period, filter: { agent?: string; task_id?: string }) {
  const where = ["ts > ?"];
  const params: (string | number)[] = [period === "all" ? -1 : now - SPAN_MS[period]];
  if (filter.agent) {
    where.push("agent = ?");
    params.push(filter.agent);
  }
  if (filter.task_id) {
    where.push("task_id = ?");
    params.push(filter.task_id);
  }
  const cond = where.join(" AND ");
  const group = (col: string) =>
    db.all<Group>(
      `SELECT ${col} AS key, COUNT(*) AS entries, SUM(cost_usd) AS cost_usd, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
       FROM costs WHERE ${cond} GROUP BY ${col} ORDER BY SUM(cost_usd) DESC`,
      ...params,
    );
  const total = db.one<{ n: number; c: number | null; i: number | null; o: number | null }>(
    `SELECT COUNT(*) AS n, SUM(cost_usd) AS c, SUM(input_tokens) AS i, SUM(output_tokens) AS o FROM costs WHERE ${cond}`,
    ...params,
  );
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const shape = (rows: Group[], name: string) => rows.map(({ key, ...g }) => ({ [name]: key, ...g, cost_usd: round(g.cost_usd) }));
  return {
    period,
    since: period === "all" ? null : new Date(now - SPAN_MS[period]).toISOString(),
    total_entries: total?.n ?? 0,
    total_cost_usd: round(total?.c ?? 0),
    total_input_tokens: total?.i ?? 0,
    total_output_tokens: total?.o ?? 0,
    by_agent: shape(group("agent"), "agent"),
    by_task: shape(group("task_id"), "task_id"),
    by_model: shape(group("model"), "model"),
  };
}

/** Cost per bucket of `bucketMs` from `from`, `buckets` of them; an empty bucket is zero. */
export function costPerBucket(db: Db, from: number, bucketMs: number, buckets: number): number[] {
  const cost = new Array<number>(buckets).fill(0);
  for (const r of db.all<{ b: number; c: number }>(
    "SELECT CAST((ts - ?) / ? AS INTEGER) AS b, SUM(cost_usd) AS c FROM costs WHERE ts >= ? GROUP BY b",
    from,
    bucketMs,
    from,
  )) {
    if (r.b >= 0 && r.b < buckets) cost[r.b] = r.c;
  }
  return cost;
}

/** All cost logged before `t`. */
export function costBefore(db: Db, t: number): number {
  return db.one<{ c: number | null }>("SELECT SUM(cost_usd) AS c FROM costs WHERE ts < ?", t)?.c ?? 0;
}
