import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("core tools", () => {
  it("pages the board with a cursor and filters by state and assignee", async () => {
    const { client } = await connect("core-page", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const batch = await call(client, "masc_batch_add_tasks", {
      tasks: Array.from({ length: 5 }, (_, i) => ({ title: `t${i}`, priority: 3 })),
    });
    expect(batch.json.added).toEqual(["task-001", "task-002", "task-003", "task-004", "task-005"]);
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-002" });
    const first = await call(client, "masc_tasks", { limit: 2 });
    expect(first.json).toMatchObject({ total: 5, has_more: true });
    expect(first.json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-001", "task-002"]);
    const rest = await call(client, "masc_tasks", { limit: 10, cursor: first.json.next_cursor });
    expect(rest.json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-003", "task-004", "task-005"]);
    expect(rest.json.has_more).toBe(false);
    expect((await call(client, "masc_tasks", { state: "claimed" })).json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-002"]);
    expect((await call(client, "masc_tasks", { assignee: "claude" })).json.total).toBe(1);
    await client.close();
  });

  it("adds a whole batch or nothing", async () => {
    const { client } = await connect("core-batch", "t", { stream: false });
    const bad = await call(client, "masc_batch_add_tasks", { tasks: [{ title: "ok" }, { title: "" }] });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("tasks.1.title");
    expect((await call(client, "masc_tasks")).json.total).toBe(0);
    await client.close();
  });

  it("walks a task through transition with compare-and-swap, history and release", async () => {
    const { client } = await connect("core-transition", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const added = await call(client, "masc_add_task", { title: "cas" });
    const v = added.json.task.version;
    const claimed = await call(client, "masc_transition", {
      agent_name: "claude",
      task_id: "task-001",
      action: "claim",
      expected_version: v,
    });
    expect(claimed.json).toMatchObject({ status: "claimed", version: v + 1 });
    const stale = await call(client, "masc_transition", {
      agent_name: "claude",
      task_id: "task-001",
      action: "start",
      expected_version: v,
    });
    expect(stale.isError).toBe(true);
    expect(stale.text).toMatch(/^version_conflict: /);
    expect((await call(client, "masc_transition", { agent_name: "claude", task_id: "task-001", action: "start" })).json.status).toBe(
      "in_progress",
    );
    expect((await call(client, "masc_release", { agent_name: "claude", task_id: "task-001" })).json.task).toMatchObject({
      status: "todo",
      assignee: null,
    });
    const history = await call(client, "masc_task_history", { task_id: "task-001" });
    expect(history.json.history.map((h: { action: string }) => h.action)).toEqual(["released", "started", "claimed", "added"]);
    await client.close();
  });

  it("cancels, reprioritizes and refuses to cancel someone else's task", async () => {
    const { client } = await connect("core-cancel", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_join", { agent_name: "gemini" });
    await call(client, "masc_batch_add_tasks", { tasks: [{ title: "a" }, { title: "b" }] });
    expect((await call(client, "masc_update_priority", { task_id: "task-001", priority: 1 })).json.priority).toBe(1);
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    const foreign = await call(client, "masc_cancel_task", { agent_name: "gemini", task_id: "task-001" });
    expect(foreign.text).toMatch(/^not_assignee: .*claude/);
    const cancelled = await call(client, "masc_cancel_task", { agent_name: "gemini", task_id: "task-002", reason: "dup" });
    expect(cancelled.json.task).toMatchObject({ status: "cancelled", cancelled_by: "gemini", reason: "dup" });
    await client.close();
  });

  it("pauses new claims until resumed", async () => {
    const { client } = await connect("core-pause", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "a" });
    expect((await call(client, "masc_pause", { reason: "deploy freeze" })).json).toMatchObject({ paused: true, reason: "deploy freeze" });
    const refused = await call(client, "masc_claim_next", { agent_name: "claude" });
    expect(refused.text).toMatch(/^room_paused: .*deploy freeze.*masc_resume/);
    expect((await call(client, "masc_status")).json).toMatchObject({ paused: true, pause_reason: "deploy freeze" });
    expect((await call(client, "masc_resume")).json.paused).toBe(false);
    expect((await call(client, "masc_pause_status")).json.paused).toBe(false);
    expect((await call(client, "masc_claim_next", { agent_name: "claude" })).json.claimed).toBe("task-001");
    await client.close();
  });

  it("releases an agent's claims when it leaves, and keeps the joined name", async () => {
    const { client } = await connect("core-leave", "t", { stream: false });
    const joined = await call(client, "masc_join", { agent_name: "claude", capabilities: ["ts"] });
    expect(joined.json.joined).toBe("claude");
    await call(client, "masc_add_task", { title: "a" });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    expect((await call(client, "masc_leave", { agent_name: "claude" })).json.released).toEqual(["task-001"]);
    expect((await call(client, "masc_tasks", { state: "todo" })).json.total).toBe(1);
    expect((await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" })).text).toMatch(/^not_joined: /);
    await client.close();
  });

  it("archives old finished tasks with masc_gc and shows them in masc_archive_view", async () => {
    const { client } = await connect("core-gc", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "old" });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_done", { agent_name: "claude", task_id: "task-001" });
    const { runInDurableObject } = await import("cloudflare:test");
    const { env } = await import("cloudflare:workers");
    await runInDurableObject(env.ROOM.getByName("core-gc"), (_i, state) => {
      state.storage.sql.exec("UPDATE tasks SET completed_at = completed_at - 10 * 86400000");
    });
    const gc = await call(client, "masc_gc", { days: 7 });
    expect(gc.json.archived_tasks).toBe(1);
    expect((await call(client, "masc_tasks")).json.total).toBe(0);
    expect((await call(client, "masc_archive_view")).json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-001"]);
    await client.close();
  });
});
