import { exports } from "cloudflare:workers";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect, mintTokens } from "./mcp";
import { openSocket, type TestSocket } from "./ws";

// A developer's masc-agent reports absolute paths of its machine; only workers and admins need them.
const ROOM = "wt-paths";
const ROOT = "/home/alice/src/repo";
let secret = "";
let taskId = "";
let tokens: Record<string, string> = {};
const sockets: Record<string, TestSocket> = {};

const bearer = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const get = async (path: string, token?: string) =>
  (await exports.default.fetch(`http://localhost/r/${ROOM}${path}`, { headers: bearer(token) })).json();
const graphql = async (token?: string) =>
  (
    await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(token) },
      body: JSON.stringify({ query: "{ tasks { edges { node { id worktree { branch path gitRoot repoName } } } } }" }),
    })
  ).json();

async function asClient<T>(name: string, token: string | undefined, use: (c: Client) => Promise<T>): Promise<T> {
  const { client } = await connect(ROOM, name, { stream: false, token });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Every surface that shows a task's worktree or a worktree event, as one caller sees it. */
async function surfaces(name: string, token: string | undefined): Promise<Record<string, string>> {
  const fromMcp = await asClient(name, token, async (c) => {
    const tasks = (await call(c, "masc_tasks", {})).json.tasks.find((t: { id: string }) => t.id === taskId);
    const resource = await c.readResource({ uri: "masc://tasks" });
    const events = await c.readResource({ uri: "masc://events?since=0" });
    return { tool: tasks, resource: resource.contents, events: events.contents };
  });
  const socket = sockets[name];
  const frame = await socket?.next((f) => (f.event as { kind?: string } | undefined)?.kind === "worktree_created");
  return Object.fromEntries(
    Object.entries({
      ...fromMcp,
      graphql: await graphql(token),
      dashboard: await get(`/api/tasks/${taskId}`, token),
      timeline: await get("/api/timeline", token),
      socket: frame,
    }).map(([k, v]) => [k, JSON.stringify(v)]),
  );
}

describe("a worktree's absolute path reaches only workers and admins", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["ann", "wendy", "rita"]) await call(client, "masc_join", { agent_name: a });
    taskId = (await call(client, "masc_add_task", { title: "paths" })).json.task_id;
    secret = (await call(client, "masc_auth_enable", { require_token: false })).json.room_secret;
    await client.close();
    tokens = await mintTokens(ROOM, secret, { wendy: "worker", rita: "reader" });
    sockets.anonymous = await openSocket(`/r/${ROOM}/ws?kind=dashboard`);
    sockets.reader = await openSocket(`/r/${ROOM}/ws?kind=dashboard&token=${tokens.rita}`);
    sockets.worker = await openSocket(`/r/${ROOM}/ws?kind=dashboard&token=${tokens.wendy}`);

    // The test plays ann's masc-agent on the developer's machine.
    const daemon = await openSocket(`/r/${ROOM}/ws?kind=local-agent&token=${secret}`);
    daemon.ws.send(JSON.stringify({ type: "hello", machine: "m", hostname: "alice-laptop", repo_root: ROOT, repo_name: "repo", pid: 1 }));
    await daemon.next((f) => f.type === "hello");
    const { client: admin } = await connect(ROOM, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const created = call(admin, "masc_worktree_create", { agent_name: "ann", task_id: taskId });
    const req = await daemon.next((f) => f.type === "request");
    const path = `${ROOT}/.worktrees/ann.${taskId}`;
    daemon.ws.send(
      JSON.stringify({
        type: "response",
        id: req.id,
        result: { path, branch: `ann/${taskId}`, git_root: ROOT, repo_name: "repo", created: true },
      }),
    );
    expect((await created).json.path).toBe(path);
    await admin.close();
    daemon.ws.close();
  }, 30_000);

  it("shows an anonymous caller and a reader only the branch and .worktrees/<name>, on every surface", async () => {
    for (const [who, token] of [
      ["anonymous", undefined],
      ["reader", tokens.rita],
    ] as const) {
      const seen = await surfaces(who, token);
      for (const [surface, text] of Object.entries(seen)) {
        expect(text, `${who} ${surface}`).not.toContain("/home/alice");
        expect(text, `${who} ${surface}`).not.toContain("alice-laptop");
        expect(text, `${who} ${surface}`).toContain(`.worktrees/ann.${taskId}`);
        expect(text, `${who} ${surface}`).toContain(`ann/${taskId}`);
      }
    }
  });

  it("shows a worker the absolute path of the task's worktree, where it works", async () => {
    const seen = await surfaces("worker", tokens.wendy);
    for (const surface of ["tool", "resource", "graphql", "dashboard"]) {
      expect(seen[surface], surface).toContain(`${ROOT}/.worktrees/ann.${taskId}`);
    }
    // Events reach every viewer, so even a worker's copy names the worktree relative to the repository.
    for (const surface of ["events", "timeline", "socket"]) expect(seen[surface], surface).not.toContain("/home/alice");
  });
});
