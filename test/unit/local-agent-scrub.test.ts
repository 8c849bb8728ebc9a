import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import { memoryDb } from "../helpers/node-db";

describe("stored local_agent_connected events", () => {
  it("keep only the repository's name after the scrub migration: no hostname, path or pid", () => {
    const db = memoryDb();
    const scrub = MIGRATIONS.find((m) => m.name === "local_agent_events_scrubbed");
    expect(scrub).toBeDefined();
    db.run("DELETE FROM _migrations WHERE name = ?", "local_agent_events_scrubbed");
    const machine = { machine: "box", hostname: "box.lan", repo_root: "/home/ann/repo", repo_name: "repo", pid: 77, connected_at: "x" };
    db.run("INSERT INTO events (ts, kind, data) VALUES (1, 'local_agent_connected', ?)", JSON.stringify(machine));
    db.run("INSERT INTO events (ts, kind, data) VALUES (2, 'broadcast', ?)", JSON.stringify({ mentions: ["bob"] }));
    expect(migrate(db)).toBe(1);
    const rows = db.all<{ kind: string; data: string }>("SELECT kind, data FROM events ORDER BY seq");
    expect(JSON.parse(rows[0]?.data ?? "")).toEqual({ repo_name: "repo" });
    expect(JSON.parse(rows[1]?.data ?? "")).toEqual({ mentions: ["bob"] });
  });
});

describe("stored worktree events", () => {
  it("keep the task, branch and .worktrees/<name> after the scrub migration: no absolute path", () => {
    const db = memoryDb();
    db.run("DELETE FROM _migrations WHERE name = ?", "worktree_events_scrubbed");
    const created = { task_id: "t1", branch: "ann/t1", path: "/home/alice/src/repo/.worktrees/ann.t1" };
    const removed = {
      task_id: "t1",
      removed: "C:\\Users\\alice\\repo\\.worktrees\\ann.t1",
      branch: "ann/t1",
      branch_deleted: true,
      was_dirty: false,
    };
    db.run("INSERT INTO events (ts, kind, data) VALUES (1, 'worktree_created', ?)", JSON.stringify(created));
    db.run("INSERT INTO events (ts, kind, data) VALUES (2, 'worktree_removed', ?)", JSON.stringify(removed));
    expect(migrate(db)).toBe(1);
    const rows = db.all<{ data: string }>("SELECT data FROM events ORDER BY seq").map((r) => JSON.parse(r.data));
    expect(rows[0]).toEqual({ task_id: "t1", branch: "ann/t1", path: ".worktrees/ann.t1" });
    expect(rows[1]).toEqual({ task_id: "t1", branch: "ann/t1", path: ".worktrees/ann.t1", branch_deleted: true, was_dirty: false });
  });
});
