import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("rejoining after a lost context", () => {
  it("answers masc_join with the tasks, locks, leases, unread count and open interrupts the name still holds", async () => {
    const room = "rejoin";
    const { client: before } = await connect(room, "before", { stream: false });
    const { client: peer } = await connect(room, "peer", { stream: false });
    const fresh = await call(before, "masc_join", { agent_name: "claude" });
    expect(fresh.json.holding).toBeUndefined();
    await call(peer, "masc_join", { agent_name: "gemini" });
    await call(peer, "masc_batch_add_tasks", { tasks: [{ title: "api" }, { title: "ui" }, { title: "other" }] });
    await call(before, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await call(before, "masc_claim", { agent_name: "claude", task_id: "task-002" });
    await call(before, "masc_transition", { agent_name: "claude", task_id: "task-002", action: "start" });
    await call(peer, "masc_claim", { agent_name: "gemini", task_id: "task-003" });
    for (const [name, args] of [
      ["masc_lock", { file: "src/api.ts", ttl: 600 }],
      ["masc_lock", { file: "src/ui/" }],
      ["masc_interrupt", { task_id: "task-001", step: 1, action: "drop table", message: "ok?" }],
    ] as const) {
      const reply = await call(before, name, { agent_name: "claude", ...args });
      expect(reply.isError, reply.text).toBe(false);
    }
    for (const m of ["@claude one", "@claude two", "for all"]) await call(peer, "masc_broadcast", { agent_name: "gemini", message: m });
    // What masc_worktree_create records once masc-agent made the worktree.
    const wt = { branch: "claude/task-001", path: "/repo/.worktrees/claude.task-001", git_root: "/repo", repo_name: "repo" };
    await runInDurableObject(env.ROOM.getByName(room), (_i, state) => {
      state.storage.sql.exec("UPDATE tasks SET worktree = ? WHERE id = 'task-001'", JSON.stringify(wt));
    });
    await before.close();

    // A new session, as after a restart: the same name, nothing remembered.
    const { client: after } = await connect(room, "after", { stream: false });
    const back = await call(after, "masc_join", { agent_name: "claude" });
    expect(back.json).toMatchObject({ joined: "claude", rejoined: true });
    const h = back.json.holding;
    expect(h.tasks).toEqual([
      { id: "task-001", title: "api", status: "claimed", worktree: expect.objectContaining({ branch: wt.branch, path: wt.path }) },
      { id: "task-002", title: "ui", status: "in_progress", worktree: null },
    ]);
    expect(h.locks).toEqual([{ file: "src/api.ts", expires_at: expect.any(String), expires_in_s: expect.any(Number) }]);
    expect(h.locks[0].expires_in_s).toBeGreaterThan(500);
    expect(h.locks[0].expires_in_s).toBeLessThanOrEqual(600);
    expect(h.leases).toEqual([expect.objectContaining({ pattern: "src/ui/", kind: "dir" })]);
    expect(h.unread).toBe(3);
    expect(h.interrupts).toEqual([expect.objectContaining({ task_id: "task-001", step: 1, action: "drop table", state: "pending" })]);
    expect(back.json.next).toMatch(/you still hold this work/);

    // gemini's holdings are its own; a name holding nothing hears the usual hint.
    const g = await call(peer, "masc_join", { agent_name: "gemini" });
    expect(g.json.holding.tasks.map((t: { id: string }) => t.id)).toEqual(["task-003"]);
    await call(peer, "masc_release", { agent_name: "gemini", task_id: "task-003" });
    expect((await call(peer, "masc_join", { agent_name: "gemini" })).json.holding).toBeUndefined();
    await after.close();
    await peer.close();
  });
});
