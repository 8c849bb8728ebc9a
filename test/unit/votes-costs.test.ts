import { describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { costReport, logCost } from "../../src/room/costs";
import { MascError } from "../../src/room/errors";
import { castVote, closeExpired, createVote, tally } from "../../src/room/votes";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);

function setup() {
  const db = memoryDb();
  for (const a of ["claude", "gemini", "codex"]) join(db, T0, a);
  return db;
}

describe("votes", () => {
  it("lets an agent change its ballot while open and resolves by plurality at quorum", () => {
    const db = setup();
    const v = createVote(db, T0, { proposer: "claude", topic: "db", options: ["pg", "sqlite"], required_votes: 3, deadline: null });
    expect(v.id).toBe("vote-001");
    castVote(db, T0, "claude", v.id, "pg");
    castVote(db, T0, "claude", v.id, "sqlite");
    expect(tally(db, v.id)).toEqual({ pg: 0, sqlite: 1 });
    castVote(db, T0, "gemini", v.id, "sqlite");
    const done = castVote(db, T0, "codex", v.id, "pg");
    expect(done).toMatchObject({ status: "approved", winner: "sqlite" });
    expect(() => castVote(db, T0, "codex", v.id, "sqlite")).toThrow(/ballots are final/);
  });

  it("ties on a shared top and refuses unknown choices", () => {
    const db = setup();
    const v = createVote(db, T0, { proposer: "claude", topic: "t", options: ["a", "b"], required_votes: 2, deadline: null });
    expect(() => castVote(db, T0, "claude", v.id, "c")).toThrow(MascError);
    castVote(db, T0, "claude", v.id, "a");
    expect(castVote(db, T0, "gemini", v.id, "b")).toMatchObject({ status: "tied", winner: null });
  });

  it("closes at the deadline on the ballots so far, or expires with none", () => {
    const db = setup();
    const a = createVote(db, T0, { proposer: "claude", topic: "a", options: ["x", "y"], required_votes: 3, deadline: T0 + 1000 });
    const b = createVote(db, T0, { proposer: "claude", topic: "b", options: ["x", "y"], required_votes: 3, deadline: T0 + 1000 });
    castVote(db, T0, "gemini", a.id, "y");
    expect(closeExpired(db, T0 + 999)).toEqual([]);
    expect(closeExpired(db, T0 + 1000)).toEqual([a.id, b.id]);
    expect(db.all("SELECT id, status, winner FROM votes ORDER BY num")).toEqual([
      { id: a.id, status: "approved", winner: "y" },
      { id: b.id, status: "expired", winner: null },
    ]);
  });
});

describe("costs", () => {
  it("totals a period by agent, task and model", () => {
    const db = setup();
    logCost(db, T0 - 2 * 86_400_000, { agent: "claude", cost_usd: 5 });
    logCost(db, T0, { agent: "claude", model: "m1", input_tokens: 100, output_tokens: 10, cost_usd: 0.5, task_id: "task-001" });
    logCost(db, T0, { agent: "gemini", model: "m2", cost_usd: 0.25, task_id: "task-001" });
    const day = costReport(db, T0 + 1, "daily", {});
    expect(day).toMatchObject({ total_entries: 2, total_cost_usd: 0.75, total_input_tokens: 100 });
    expect(day.by_agent).toEqual([
      { agent: "claude", entries: 1, cost_usd: 0.5, input_tokens: 100, output_tokens: 10 },
      { agent: "gemini", entries: 1, cost_usd: 0.25, input_tokens: 0, output_tokens: 0 },
    ]);
    expect(day.by_task).toEqual([{ task_id: "task-001", entries: 2, cost_usd: 0.75, input_tokens: 100, output_tokens: 10 }]);
    expect(costReport(db, T0 + 1, "all", { agent: "claude" }).total_cost_usd).toBe(5.5);
  });
});
