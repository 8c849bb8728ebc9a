import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { budgetStatus, setBudget } from "../../src/room/budgets";
import { logCost } from "../../src/room/costs";
import { eventsAfter } from "../../src/room/events";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import type { Db } from "../../src/room/sql";
import { addTask, claimNext, transition } from "../../src/room/tasks";
import { mascError as error } from "../helpers/errors";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1, 12);
const DAY = 86_400_000;

const crossings = (db: Db) => eventsAfter(db, 0).filter((e) => e.kind === "budget_exceeded");

describe("budgets", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "claude");
    join(db, T0, "gemini");
    for (let i = 0; i < 4; i++) addTask(db, T0, { title: `t${i}` });
  });

  it("refuses new claims at an agent's cap, naming spend, cap and who may raise it, and keeps claimed work", () => {
    setBudget(db, T0, { agent: "claude", period: "total", limit_usd: 5, set_by: "lead" });
    transition(db, T0, "claude", "task-001", "claim");
    logCost(db, T0, { agent: "claude", cost_usd: 3 });
    expect(claimNext(db, T0, "claude")?.id).toBe("task-002");
    logCost(db, T0, { agent: "claude", cost_usd: 2.5 });
    const refused = error(() => claimNext(db, T0, "claude"));
    expect(refused.code).toBe("budget_exceeded");
    expect(refused.message).toContain("$5.5");
    expect(refused.message).toContain("$5");
    expect(refused.message).toContain("masc_budget_set");
    expect(refused.data).toMatchObject({ agent: "claude", scope: "agent", spend_usd: 5.5, limit_usd: 5 });
    expect(error(() => transition(db, T0, "claude", "task-003", "claim")).code).toBe("budget_exceeded");
    // What it holds stays its own and can be finished; costs keep being recorded; others still claim.
    expect(transition(db, T0, "claude", "task-001", "claim").assignee).toBe("claude");
    expect(transition(db, T0, "claude", "task-002", "done").state).toBe("done");
    logCost(db, T0, { agent: "claude", cost_usd: 1 });
    expect(budgetStatus(db, T0)[0]).toMatchObject({ agent: "claude", spend_usd: 6.5, exceeded: true, remaining_usd: 0 });
    expect(claimNext(db, T0, "gemini")?.id).toBe("task-003");
    setBudget(db, T0, { agent: "claude", period: "total", limit_usd: 10, set_by: "lead" });
    expect(claimNext(db, T0, "claude")?.id).toBe("task-004");
  });

  it("caps the whole room by everyone's spend, and a daily cap starts again the next UTC day", () => {
    setBudget(db, T0, { agent: null, period: "day", limit_usd: 4, set_by: "lead" });
    logCost(db, T0, { agent: "claude", cost_usd: 2 });
    logCost(db, T0, { agent: "gemini", cost_usd: 2 });
    const refused = error(() => claimNext(db, T0, "claude"));
    expect(refused.data).toMatchObject({ scope: "room", period: "day", spend_usd: 4, limit_usd: 4 });
    expect(error(() => claimNext(db, T0, "gemini")).code).toBe("budget_exceeded");
    // The room's crossing is announced once, mentioning the agent whose cost crossed it.
    expect(crossings(db).map((e) => e.data)).toEqual([expect.objectContaining({ agent: null, scope: "room", mentions: ["gemini"] })]);
    expect(budgetStatus(db, T0)[0]?.resets_at).toBe(new Date(Date.UTC(2026, 10, 2)).toISOString());
    expect(claimNext(db, T0 + DAY, "claude")?.id).toBe("task-001");
  });

  it("announces a crossing once, mentioning the agent, and again only after a raise or a new day", () => {
    setBudget(db, T0, { agent: "claude", period: "day", limit_usd: 1, set_by: "lead" });
    logCost(db, T0, { agent: "claude", cost_usd: 0.5 });
    expect(crossings(db)).toHaveLength(0);
    logCost(db, T0, { agent: "claude", cost_usd: 0.5 });
    logCost(db, T0, { agent: "claude", cost_usd: 0.5 });
    expect(crossings(db)).toHaveLength(1);
    expect(crossings(db)[0]?.data).toMatchObject({ agent: "claude", spend_usd: 1, limit_usd: 1, mentions: ["claude"] });
    setBudget(db, T0, { agent: "claude", period: "day", limit_usd: 2, set_by: "lead" });
    logCost(db, T0, { agent: "claude", cost_usd: 0.5 });
    expect(crossings(db)).toHaveLength(2);
    logCost(db, T0 + DAY, { agent: "claude", cost_usd: 1 });
    expect(crossings(db)).toHaveLength(2);
    logCost(db, T0 + DAY, { agent: "claude", cost_usd: 1 });
    expect(crossings(db)).toHaveLength(3);
  });

  it("refuses a cap for an agent the room does not know, changing nothing", () => {
    const err = error(() => db.tx(() => setBudget(db, T0, { agent: "ghost", period: "total", limit_usd: 1, set_by: "lead" })));
    expect(err.code).toBe("not_found");
    expect(err.message).toContain("ghost");
    expect(budgetStatus(db, T0)).toEqual([]);
  });

  it("counts costs logged before the caps existed", () => {
    logCost(db, T0, { agent: "claude", cost_usd: 7 });
    const view = setBudget(db, T0, { agent: "claude", period: "total", limit_usd: 5, set_by: "lead" });
    expect(view).toMatchObject({ spend_usd: 7, exceeded: true });
    expect(crossings(db)).toHaveLength(1);
  });

  it("carries costs logged before the budgets migration into the spend it checks", () => {
    const old = memoryDb(MIGRATIONS.filter((m) => m.name !== "budgets"));
    old.run("INSERT INTO costs (ts, agent, cost_usd) VALUES (?, 'claude', 2), (?, 'claude', 3), (?, 'gemini', 1)", T0, T0 - DAY, T0);
    migrate(old);
    join(old, T0, "claude");
    expect(setBudget(old, T0, { agent: "claude", period: "total", limit_usd: 10, set_by: null }).spend_usd).toBe(5);
    expect(setBudget(old, T0, { agent: "claude", period: "day", limit_usd: 10, set_by: null }).spend_usd).toBe(2);
    expect(setBudget(old, T0, { agent: null, period: "total", limit_usd: 10, set_by: null }).spend_usd).toBe(6);
  });
});
