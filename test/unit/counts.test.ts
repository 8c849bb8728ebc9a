import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { agentStatuses, join, listAgents } from "../../src/room/agents";
import { broadcast } from "../../src/room/messages";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import type { Db, SqlValue } from "../../src/room/sql";
import { addTask, archiveFinished, countByState, listTasks, transition } from "../../src/room/tasks";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

/** What the kept counts must always equal. */
function counted(db: Db) {
  const byState: Record<string, number> = { todo: 0, claimed: 0, in_progress: 0, done: 0, cancelled: 0 };
  for (const r of db.all<{ state: string; n: number }>("SELECT state, COUNT(*) AS n FROM tasks WHERE archived_at IS NULL GROUP BY state"))
    byState[r.state] = r.n;
  const broadcasts = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE kind = 'broadcast'")?.n;
  return { byState, broadcasts };
}

function kept(db: Db) {
  return { byState: countByState(db), broadcasts: db.one<{ n: number }>("SELECT n FROM event_counts WHERE kind = 'broadcast'")?.n };
}

describe("counts kept by triggers", () => {
  it("follow every task transition, archiving, deletion and broadcast", () => {
    const db = memoryDb();
    join(db, T0, "claude");
    for (let i = 0; i < 6; i++) addTask(db, T0, { title: `t${i}` });
    transition(db, T0, "claude", "task-001", "claim");
    transition(db, T0, "claude", "task-002", "claim");
    transition(db, T0, "claude", "task-002", "start");
    transition(db, T0, "claude", "task-002", "done");
    transition(db, T0, "claude", "task-003", "cancel");
    transition(db, T0, "claude", "task-004", "claim");
    transition(db, T0, "claude", "task-004", "release");
    broadcast(db, T0, "claude", "hello", []);
    broadcast(db, T0, "claude", "again", []);
    expect(kept(db)).toEqual(counted(db));
    expect(archiveFinished(db, T0 + 8 * DAY, 7)).toBe(2);
    db.run("DELETE FROM tasks WHERE id = 'task-005'");
    db.run("DELETE FROM events WHERE seq = (SELECT MIN(seq) FROM events WHERE kind = 'broadcast')");
    expect(kept(db)).toEqual(counted(db));
    expect(countByState(db)).toEqual({ todo: 2, claimed: 1, in_progress: 0, done: 0, cancelled: 0 });
    expect(listTasks(db, { limit: 2 }).total).toBe(3);
    expect(listTasks(db, { limit: 2, state: "todo" }).total).toBe(2);
    expect(listTasks(db, { limit: 2, includeArchived: true }).total).toBe(5);
  });

  it("start from what a room already held when the migration runs", () => {
    const sqlite = new DatabaseSync(":memory:");
    const db: Db = {
      all: <T>(q: string, ...p: SqlValue[]) => sqlite.prepare(q).all(...p) as T[],
      one: <T>(q: string, ...p: SqlValue[]) => sqlite.prepare(q).get(...p) as T | undefined,
      run: (q: string, ...p: SqlValue[]) => Number(sqlite.prepare(q).run(...p).changes),
      tx: <T>(fn: () => T) => fn(),
      writes: () => 0,
    };
    migrate(
      db,
      MIGRATIONS.filter((m) => m.name !== "counts"),
    );
    join(db, T0, "claude");
    addTask(db, T0, { title: "a" });
    addTask(db, T0, { title: "b" });
    transition(db, T0, "claude", "task-002", "claim");
    db.run("INSERT INTO events (ts, kind, actor, data) VALUES (?, 'broadcast', 'claude', '{}')", T0);
    migrate(db);
    expect(kept(db)).toEqual(counted(db));
  });

  it("give masc_status the same busy/active view as the full agent list", () => {
    const db = memoryDb();
    for (const a of ["claude", "gemini", "codex"]) join(db, T0, a);
    addTask(db, T0, { title: "a" });
    transition(db, T0, "gemini", "task-001", "claim");
    db.run("UPDATE agents SET status = 'zombie' WHERE name = 'codex'");
    expect(agentStatuses(db)).toEqual(listAgents(db).map((a) => ({ name: a.name, status: a.status })));
  });
});
