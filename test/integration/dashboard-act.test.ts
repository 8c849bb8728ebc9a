import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect, mintTokens } from "./mcp";

const ROOM = "lead";
const OPEN = "lead-open";
const tokens: Record<string, string> = {};

const act = (body: unknown, token?: string, room = ROOM) =>
  exports.default.fetch(`http://localhost/r/${room}/api/act`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const get = (path: string, token?: string) =>
  exports.default.fetch(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("dashboard actions and reads, per role", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["claude", "gemini"]) await call(client, "masc_join", { agent_name: a });
    await call(client, "masc_add_task", { title: "held by claude" });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_lock", { agent_name: "claude", file: "src/a.ts" });
    await call(client, "masc_broadcast", { agent_name: "claude", message: "@gemini private-ish note" });
    await call(client, "masc_portal_open", { agent_name: "claude", target_agent: "gemini" });
    await call(client, "masc_portal_send", { agent_name: "claude", message: "direct secret" });
    await call(client, "masc_interrupt", { agent_name: "claude", task_id: "task-001", step: 1, action: "rm -rf build/", message: "ok?" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, secret, { claude: "worker", gemini: "worker", viewer: "reader", lead: "admin" }));
    const { client: open } = await connect(OPEN, "open", { stream: false });
    await call(open, "masc_join", { agent_name: "x" });
    await open.close();
  }, 60_000);

  it("refuses a reader and a caller without a token, and changes nothing", async () => {
    const before = await (await get(`/r/${ROOM}/api/timeline?limit=1`, tokens.lead)).json();
    expect((await act({ tool: "masc_add_task", args: { title: "nope" } })).status).toBe(401);
    const reader = await act({ tool: "masc_add_task", args: { title: "nope" } }, tokens.viewer);
    expect(reader.status).toBe(403);
    expect(((await reader.json()) as { message: string }).message).toContain("masc_add_task needs role worker");
    const after = await (await get(`/r/${ROOM}/api/timeline?limit=1`, tokens.lead)).json();
    expect(after).toEqual(before);
  });

  it("acts as the token's own agent, whatever name the body asks for", async () => {
    const res = await act({ tool: "masc_broadcast", args: { message: "hi", agent_name: "claude" }, as: "claude" }, tokens.gemini);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { from: string } }).result.from).toBe("gemini");
  });

  it("lets only an admin force another agent's lock or task, and names whose it was", async () => {
    const worker = await act({ tool: "masc_unlock", args: { file: "src/a.ts", force: true } }, tokens.gemini);
    expect(worker.status).toBe(403);
    expect(((await worker.json()) as { message: string }).message).toContain("with force needs role admin");
    const cancel = await act({ tool: "masc_cancel_task", args: { task_id: "task-001", force: true } }, tokens.gemini);
    expect(cancel.status).toBe(403);
    const lead = await act({ tool: "masc_unlock", args: { file: "src/a.ts", force: true } }, tokens.lead);
    expect(await lead.json()).toMatchObject({ ok: true, result: { unlocked: "src/a.ts", was_held_by: "claude" } });
  });

  it("refuses tools the page does not offer and malformed bodies, naming the field", async () => {
    const res = await act({ tool: "masc_auth_create_token", args: { agent_name: "evil", role: "admin" } }, tokens.lead);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^tool must be one of masc_broadcast/);
    expect((await act({ tool: "masc_add_task", args: [] }, tokens.lead)).status).toBe(400);
    const bad = await act({ tool: "masc_add_task", args: { title: "" } }, tokens.lead);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("title");
    expect((await act({ tool: "masc_broadcast", args: { message: "x" }, as: "bad name!" }, undefined, OPEN)).status).toBe(400);
  });

  it("approves a destructive action only with the task id typed back", async () => {
    const worker = await act({ tool: "masc_approve", args: { task_id: "task-001" }, confirm: "task-001" }, tokens.claude);
    expect(worker.status).toBe(403);
    const unconfirmed = await act({ tool: "masc_approve", args: { task_id: "task-001" }, confirm: "task-002" }, tokens.lead);
    expect(unconfirmed.status).toBe(428);
    const ok = await act({ tool: "masc_approve", args: { task_id: "task-001" }, confirm: "task-001" }, tokens.lead);
    expect(await ok.json()).toMatchObject({ ok: true, result: { approved: "task-001" } });
  });

  it("shows a reader's timeline without other agents' mentions or portal messages; an admin sees all", async () => {
    type Page = { events: Array<{ kind: string; body: string | null; target: string | null }> };
    const reader = (await (await get(`/r/${ROOM}/api/timeline?limit=200`, tokens.viewer)).json()) as Page;
    expect(reader.events.some((e) => e.kind === "portal_message")).toBe(false);
    expect(reader.events.some((e) => e.body?.includes("private-ish"))).toBe(false);
    expect(reader.events.some((e) => e.kind === "task_added")).toBe(true);
    const gemini = (await (await get(`/r/${ROOM}/api/timeline?limit=200`, tokens.gemini)).json()) as Page;
    expect(gemini.events.some((e) => e.body?.includes("private-ish"))).toBe(true);
    const lead = (await (await get(`/r/${ROOM}/api/timeline?limit=200`, tokens.lead)).json()) as Page;
    // An admin sees everything, as on every other surface (src/room/visibility.ts).
    expect(lead.events.some((e) => e.kind === "portal_message")).toBe(true);
    expect(lead.events.some((e) => e.body?.includes("private-ish"))).toBe(true);
    const bad = await get(`/r/${ROOM}/api/timeline?before=abc`, tokens.lead);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("before");
  });

  it("gives a task's detail: text, worktree and branch, age, history and cost", async () => {
    // What masc_worktree_create stores when a masc-agent made the worktree.
    await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) => {
      state.storage.sql.exec(
        "UPDATE tasks SET worktree = ? WHERE id = 'task-001'",
        JSON.stringify({ branch: "claude/task-001", path: ".worktrees/claude-task-001", git_root: "/repo", repo_name: "repo" }),
      );
    });
    const res = await get(`/r/${ROOM}/api/tasks/task-001`, tokens.viewer);
    const d = (await res.json()) as { task: Record<string, unknown>; age_s: number; history: Array<{ action: string }> };
    expect(d.task).toMatchObject({ id: "task-001", title: "held by claude", assignee: "claude", worktree: { branch: "claude/task-001" } });
    expect(d.age_s).toBeGreaterThanOrEqual(0);
    expect(d.history.map((h) => h.action)).toContain("claimed");
    expect((await get(`/r/${ROOM}/api/tasks/task-404`, tokens.viewer)).status).toBe(404);
    expect((await get(`/r/${ROOM}/api/tasks/bad%20id`, tokens.viewer)).status).toBe(400);
  });

  it("lists every room to a room's admin token only, and only with that room named", async () => {
    type List = { scope: string; rooms: Array<{ name: string }> };
    const asLead = (await (await get(`/api/rooms?room=${ROOM}`, tokens.lead)).json()) as List;
    expect(asLead.scope).toBe("all");
    expect((await (await get(`/api/rooms?room=${ROOM}`, tokens.gemini)).json()) as List).toMatchObject({ scope: "open_rooms" });
    // Naming a room without auth proves nothing about the bearer.
    expect((await (await get(`/api/rooms?room=${OPEN}`, tokens.gemini)).json()) as List).toMatchObject({ scope: "open_rooms" });
    expect((await (await get(`/api/rooms?room=${OPEN}`, "made-up")).json()) as List).toMatchObject({ scope: "open_rooms" });
  });
});
