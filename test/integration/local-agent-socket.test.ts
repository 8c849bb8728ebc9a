import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openSocket, type TestSocket } from "./ws";

const ROOM = "la-socket";
const tokens: Record<string, string> = {};
let secret = "";

const daemonPath = (token?: string) => `/r/${ROOM}/ws?kind=local-agent${token ? `&token=${token}` : ""}`;

async function daemon(token: string, repoRoot: string): Promise<TestSocket> {
  const s = await openSocket(daemonPath(token));
  s.ws.send(JSON.stringify({ type: "hello", machine: "m", hostname: "host", repo_root: repoRoot, repo_name: "repo", pid: 1 }));
  await s.next((f) => f.type === "hello");
  return s;
}

/** Answers the next request the room sends this daemon with `result`. */
async function answer(s: TestSocket, result: unknown): Promise<Record<string, unknown>> {
  const req = await s.next((f) => f.type === "request" && !s.frames.some((g) => g.type === "answered" && g.id === f.id));
  s.frames.push({ type: "answered", id: req.id });
  s.ws.send(JSON.stringify({ type: "response", id: req.id, result }));
  return req;
}

describe("the local-agent socket is a credential of its own", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["ann", "mallory", "rita"]) await call(client, "masc_join", { agent_name: a });
    await call(client, "masc_add_task", { title: "t" });
    secret = (await call(client, "masc_auth_enable", { require_token: false })).json.room_secret;
    await client.close();
    const { client: admin } = await connect(ROOM, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    tokens.mallory = (await call(admin, "masc_auth_create_token", { agent_name: "mallory", role: "worker" })).json.token;
    tokens.rita = (await call(admin, "masc_auth_create_token", { agent_name: "rita", role: "reader" })).json.token;
    await admin.close();
  }, 30_000);

  it("refuses kind=local-agent to a reader token and to an anonymous caller", async () => {
    for (const token of [tokens.rita, undefined]) {
      const res = await exports.default.fetch(`http://localhost${daemonPath(token)}`, { headers: { upgrade: "websocket" } });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("admin token or a worker token");
    }
  });

  it("sends a worktree request for an agent only to a daemon allowed to serve it", async () => {
    const mallory = await daemon(tokens.mallory as string, "/home/mallory/repo");
    const { client: admin } = await connect(ROOM, "admin2", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const refused = await call(admin, "masc_worktree_create", { agent_name: "ann", task_id: "task-001" });
    expect(refused.text).toMatch(/^no_local_agent: no masc-agent allowed to serve ann is connected/);
    expect(mallory.frames.some((f) => f.type === "request")).toBe(false);
    // It does serve its own agent.
    const own = call(admin, "masc_worktree_create", { agent_name: "mallory", task_id: "side-job" });
    const req = await answer(mallory, {
      path: "/home/mallory/repo/.worktrees/mallory.side-job",
      branch: "mallory/side-job",
      git_root: "/home/mallory/repo",
      repo_name: "repo",
      created: true,
    });
    expect((req.params as { agent: string }).agent).toBe("mallory");
    expect((await own).isError).toBe(false);
    mallory.ws.close();
    await admin.close();
  });

  it("refuses a reply naming a path outside the daemon's <repo>/.worktrees/, and stores nothing", async () => {
    const d = await daemon(secret, "/work/repo");
    const { client: admin } = await connect(ROOM, "admin3", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    for (const path of [
      "/tmp/attacker-controlled",
      "/work/repo/.worktrees/../../../tmp/x",
      "/work/repo/.worktrees/",
      "/work/repo-other/.worktrees/x",
    ]) {
      const pending = call(admin, "masc_worktree_create", { agent_name: "ann", task_id: "task-001" });
      await answer(d, { path, branch: "b", git_root: "/work/repo", repo_name: "repo", created: true });
      const reply = await pending;
      expect(reply.text, path).toMatch(/^local_agent_error: masc-agent on host answered a worktree outside \/work\/repo\/\.worktrees\//);
    }
    const gql = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: "{ tasks { edges { node { id worktree { path } } } } }" }),
    });
    const stored = (await gql.json()) as { data: { tasks: { edges: Array<{ node: { worktree: unknown } }> } } };
    expect(stored.data.tasks.edges.map((e) => e.node.worktree)).toEqual([null]);
    const good = call(admin, "masc_worktree_create", { agent_name: "ann", task_id: "task-001" });
    await answer(d, {
      path: "/work/repo/.worktrees/ann.task-001",
      branch: "ann/task-001",
      git_root: "/work/repo",
      repo_name: "repo",
      created: true,
    });
    expect((await good).json.path).toBe("/work/repo/.worktrees/ann.task-001");
    d.ws.close();
    await admin.close();
  });

  it("refuses a hello without an absolute repository root", async () => {
    const s = await openSocket(daemonPath(secret));
    s.ws.send(JSON.stringify({ type: "hello", machine: "m", hostname: "h", repo_root: "relative/repo", repo_name: "r", pid: 1 }));
    const err = await s.next((f) => f.type === "error");
    expect(err.message).toContain("repo_root must be the repository's absolute path");
    s.ws.close();
  });
});
