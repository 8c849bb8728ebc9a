import { getAgent } from "./agents";
import { fail } from "./errors";
import { appendEvent } from "./events";
import { getMeta, setMeta } from "./meta";
import type { Db } from "./sql";

/**
 * Spending caps, for the whole room or one agent, over all time or the current UTC day. Reaching
 * one stops new work (claims, worktrees) for whoever it covers; nothing is taken away and costs keep
 * being recorded.
 */
export const BUDGET_PERIODS = ["total", "day"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** The `budgets.agent` of the room's own cap. */
const ROOM = "";
const DAY_MS = 86_400_000;
const RAISE = "an admin can raise it with masc_budget_set";

interface BudgetRow {
  agent: string;
  period: BudgetPeriod;
  limit_usd: number;
  set_by: string | null;
  set_at: number;
  /** The period (`total` or a day number) whose crossing was last announced. */
  crossed: string | null;
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;
const dayOf = (now: number) => Math.floor(now / DAY_MS);
const periodKey = (period: BudgetPeriod, now: number) => (period === "total" ? "total" : String(dayOf(now)));

/** What `agent` (or the whole room, for ROOM) spent in the period that holds `now`. */
export function spendOf(db: Db, now: number, agent: string, period: BudgetPeriod): number {
  const day = period === "day" ? dayOf(now) : null;
  const row = db.one<{ usd: number | null }>(
    "SELECT SUM(usd) AS usd FROM spend WHERE (?1 = '' OR agent = ?1) AND (?2 IS NULL OR day = ?2)",
    agent,
    day,
  );
  return round(row?.usd ?? 0);
}

export interface BudgetView {
  agent: string | null;
  period: BudgetPeriod;
  limit_usd: number;
  spend_usd: number;
  remaining_usd: number;
  exceeded: boolean;
  /** For a daily cap: when its spend starts again from zero. */
  resets_at: string | null;
  set_by: string | null;
  set_at: string;
}

function view(db: Db, now: number, b: BudgetRow): BudgetView {
  const spend = spendOf(db, now, b.agent, b.period);
  return {
    agent: b.agent === ROOM ? null : b.agent,
    period: b.period,
    limit_usd: b.limit_usd,
    spend_usd: spend,
    remaining_usd: round(Math.max(0, b.limit_usd - spend)),
    exceeded: spend >= b.limit_usd,
    resets_at: b.period === "day" ? new Date((dayOf(now) + 1) * DAY_MS).toISOString() : null,
    set_by: b.set_by,
    set_at: new Date(b.set_at).toISOString(),
  };
}

/** The room's caps first, then each agent's, each with what was spent against it. */
export function budgetStatus(db: Db, now: number): BudgetView[] {
  return db.all<BudgetRow>("SELECT * FROM budgets ORDER BY agent, period").map((b) => view(db, now, b));
}

/** Sets (or replaces) a cap. The agent must be one the room knows; a new cap may be crossed at once. */
export function setBudget(
  db: Db,
  now: number,
  cap: { agent: string | null; period: BudgetPeriod; limit_usd: number; set_by: string | null },
): BudgetView {
  if (cap.agent !== null && !getAgent(db, cap.agent)) {
    fail("not_found", `agent_name: no agent '${cap.agent}' has joined this room; see masc_agents, or omit it for the room's cap`, {
      agent: cap.agent,
    });
  }
  const key = cap.agent ?? ROOM;
  db.run(
    `INSERT INTO budgets (agent, period, limit_usd, set_by, set_at, crossed) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (agent, period) DO UPDATE SET limit_usd = excluded.limit_usd, set_by = excluded.set_by, set_at = excluded.set_at, crossed = NULL`,
    key,
    cap.period,
    cap.limit_usd,
    cap.set_by,
    now,
  );
  setMeta(db, "budgets", "1");
  appendEvent(db, now, {
    kind: "budget_set",
    actor: cap.set_by,
    data: { agent: cap.agent, period: cap.period, limit_usd: cap.limit_usd },
  });
  noteCrossings(db, now, cap.agent ?? ROOM);
  const row = db.one<BudgetRow>("SELECT * FROM budgets WHERE agent = ? AND period = ?", key, cap.period);
  if (!row) fail("not_found", "the budget vanished while being set");
  return view(db, now, row);
}

/** The caps that cover `agent`: the room's and its own. Nothing read while no cap was ever set. */
function capsFor(db: Db, agent: string): BudgetRow[] {
  if (getMeta(db, "budgets") !== "1") return [];
  return db.all<BudgetRow>("SELECT * FROM budgets WHERE agent IN (?, ?)", ROOM, agent);
}

function describe(b: BudgetRow, spend: number, agent: string): string {
  return `${b.agent === ROOM ? "the room" : agent} spent $${spend} of its ${b.period === "day" ? "daily" : "total"} cap of $${b.limit_usd}`;
}

/** Refuses new work for an agent whose own or whose room's spend reached a cap. */
export function requireWithinBudget(db: Db, now: number, agent: string): void {
  for (const b of capsFor(db, agent)) {
    const spend = spendOf(db, now, b.agent, b.period);
    if (spend < b.limit_usd) continue;
    fail("budget_exceeded", `${describe(b, spend, agent)}; claimed work stays yours, ${RAISE}`, {
      agent,
      scope: b.agent === ROOM ? "room" : "agent",
      period: b.period,
      spend_usd: spend,
      limit_usd: b.limit_usd,
      raise_with: "masc_budget_set (admin)",
    });
  }
}

/**
 * After spend by `agent` (or a cap change): each cap it reached is announced once per crossing with a
 * `budget_exceeded` event mentioning the agent. Raising the cap or a new day starts a new crossing.
 */
export function noteCrossings(db: Db, now: number, agent: string): void {
  const caps = agent === ROOM ? db.all<BudgetRow>("SELECT * FROM budgets WHERE agent = ?", ROOM) : capsFor(db, agent);
  for (const b of caps) {
    const key = periodKey(b.period, now);
    if (b.crossed === key) continue;
    const spend = spendOf(db, now, b.agent, b.period);
    if (spend < b.limit_usd) continue;
    db.run("UPDATE budgets SET crossed = ? WHERE agent = ? AND period = ?", key, b.agent, b.period);
    const mentions = agent === ROOM ? [] : [agent];
    appendEvent(db, now, {
      kind: "budget_exceeded",
      actor: agent === ROOM ? null : agent,
      data: {
        agent: b.agent === ROOM ? null : b.agent,
        scope: b.agent === ROOM ? "room" : "agent",
        period: b.period,
        spend_usd: spend,
        limit_usd: b.limit_usd,
        message: `${describe(b, spend, agent)}; new claims and worktrees are refused until ${RAISE}`,
        mentions,
      },
    });
  }
}
