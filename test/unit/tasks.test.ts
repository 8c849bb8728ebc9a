import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { MascError } from "../../src/room/errors";
import type { Db } from "../../src/room/sql";
import { addTask, claimNext, transition } from "../../src/room/tasks";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof MascError) return err.code;
    throw err;
  }
  return "ok";
}

describe("task board", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "claude");
    join(db, T0, "gemini");
  });

  it("numbers tasks task-001, task-002 and never reuses an id", () => {
    expect(addTask(db, T0, { title: "a" }).id).toBe("task-001");
    expect(addTask(db, T0, { title: "b" }).id).toBe("task-002");
    db.run("DELETE FROM tasks WHERE id = 'task-002'");
    expect(addTask(db, T0, { title: "c" }).id).toBe("task-003");
  });

  it("lets only one agent claim a task and names the holder to the loser", () => {
    addTask(db, T0, { title: "a" });
    transition(db, T0, "claude", "task-001", "claim");
    try {
      transition(db, T0, "gemini", "task-001", "claim");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MascError);
      expect((err as MascError).code).toBe("task_already_claimed");
      expect((err as MascError).message).toContain("claude");
    }
  });

  it("claims the highest priority first, then the oldest, with aging", () => {
    addTask(db, T0, { title: "low old", priority: 5 });
    addTask(db, T0 + 1, { title: "high", priority: 1 });
    addTask(db, T0 + 2, { title: "high newer", priority: 1 });
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("high");
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("high newer");
    addTask(db, T0 + 5 * DAY, { title: "fresh p2", priority: 2 });
    // After 4+ days the priority-5 task ages to an effective 1 and is older than anything else.
    expect(claimNext(db, T0 + 5 * DAY, "gemini")?.title).toBe("low old");
  });

  it("picks what a sort of the whole board by aged priority, age and number would pick", () => {
    // A fixed pseudo-random board: priorities 1..5 (and two written past the tools' range), ages
    // over ten days, some tasks already taken or archived.
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 300; i++) addTask(db, T0 + Math.floor(rnd() * 10 * DAY), { title: `t${i}`, priority: 1 + Math.floor(rnd() * 5) });
    db.run("UPDATE tasks SET priority = 0 WHERE num = 9");
    db.run("UPDATE tasks SET priority = 9 WHERE num = 8");
    db.run("UPDATE tasks SET state = 'done' WHERE num % 7 = 0");
    db.run("UPDATE tasks SET archived_at = ? WHERE num % 11 = 0", T0);
    // The whole todo list sorted by the rule itself, in SQL (so `now` divides as it does there).
    const expected = (now: number) =>
      db.one<{ id: string }>(
        `SELECT id FROM tasks WHERE state = 'todo' AND archived_at IS NULL
         ORDER BY MAX(1, priority - ((CAST(? AS INTEGER) - created_at) / ${DAY})), created_at, num LIMIT 1`,
        now,
      )?.id;
    let claimed = 0;
    for (;;) {
      const now = T0 + Math.floor(rnd() * 12 * DAY);
      const want = expected(now);
      expect(claimNext(db, now, "claude")?.id).toBe(want);
      if (!want) break;
      claimed++;
    }
    expect(claimed).toBeGreaterThan(200);
  });

  it("lets only the assignee finish, release or start a task", () => {
    addTask(db, T0, { title: "a" });
    transition(db, T0, "claude", "task-001", "claim");
    expect(code(() => transition(db, T0, "gemini", "task-001", "done"))).toBe("not_assignee");
    expect(code(() => transition(db, T0, "gemini", "task-001", "release"))).toBe("not_assignee");
    expect(transition(db, T0, "claude", "task-001", "start").state).toBe("in_progress");
    expect(transition(db, T0, "claude", "task-001", "done", { notes: "ok" }).notes).toBe("ok");
    expect(code(() => transition(db, T0, "claude", "task-001", "claim"))).toBe("invalid_transition");
  });

  it("refuses a transition at a stale expected_version", () => {
    const t = addTask(db, T0, { title: "a" });
    expect(code(() => transition(db, T0, "claude", t.id, "claim", { expectedVersion: t.version + 1 }))).toBe("version_conflict");
    expect(transition(db, T0, "claude", t.id, "claim", { expectedVersion: t.version }).assignee).toBe("claude");
  });

  it("refuses agents that have not joined", () => {
    addTask(db, T0, { title: "a" });
    expect(code(() => transition(db, T0, "stranger", "task-001", "claim"))).toBe("not_joined");
  });
});
