import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon } from "../../local-agent/src/daemon/daemon.ts";
import { tempRepo } from "../../local-agent/test/helpers.ts";
import { worktreeNames } from "../../src/room/worktree-names";
import { mcpClient, tool } from "../helpers/client";
import { until } from "../helpers/until";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const ROOM = "la-sec";

/** A socket that pretends to be a masc-agent and answers every request with `forged`. */
function fakeDaemon(url: string, token: string, repoRoot: string, forged: unknown): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/r/${ROOM}/ws?kind=local-agent&token=${encodeURIComponent(token)}`);
  ws.addEventListener("message", (m) => {
    const frame = JSON.parse(String(m.data)) as { type: string; id?: string };
    if (frame.type === "request") ws.send(JSON.stringify({ type: "response", id: frame.id, result: forged }));
  });
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => {
      ws.send(JSON.stringify({ type: "hello", machine: "evil", hostname: "evil", repo_root: repoRoot, repo_name: "r", pid: 1 }));
      resolve(ws);
    });
    ws.addEventListener("error", () => reject(new Error("refused")));
  });
}

describe("masc-agent sockets against a real wrangler dev: a daemon is a credential", () => {
  let server: DevServer;
  let repo: string;
  beforeAll(async () => {
    server = await startWrangler();
    repo = tempRepo("la-sec-repo");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a reader as a daemon, serves an agent only from a daemon allowed to, and refuses a forged worktree path", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "setup");
    await tool(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["claude", "gemini", "rita"]) await tool(client, "masc_join", { agent_name: a });
    await tool(client, "masc_add_task", { title: "feature" });
    const secret = (await tool(client, "masc_auth_enable")).json.room_secret as string;
    const { client: admin } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "admin", { authorization: `Bearer ${secret}` });
    await tool(admin, "masc_switch_mode", { mode: "full" });
    const claude = (await tool(admin, "masc_auth_create_token", { agent_name: "claude", role: "worker" })).json.token as string;
    const rita = (await tool(admin, "masc_auth_create_token", { agent_name: "rita", role: "reader" })).json.token as string;

    await expect(fakeDaemon(server.url, rita, repo, {})).rejects.toThrow("refused");

    const d = new Daemon({
      url: server.url,
      room: ROOM,
      root: repo,
      agents: ["claude"],
      token: claude,
      notify: async () => {},
      log: () => {},
      stateFile: join(repo, ".git", "masc-agent-sec.json"),
    });
    d.start();
    let evil: WebSocket | undefined;
    try {
      const created = await until(async () => {
        const r = await tool(admin, "masc_worktree_create", { agent_name: "claude", task_id: "task-001" });
        return r.isError ? undefined : r;
      }, "the daemon to connect with its token");
      expect(created.json.path.startsWith(join(repo, ".worktrees"))).toBe(true);
      const other = await tool(admin, "masc_worktree_create", { agent_name: "gemini", task_id: "task-001" });
      expect(other.text).toMatch(/^no_local_agent: no masc-agent allowed to serve gemini is connected/);

      // A daemon on an admin credential that answers with a path outside its repository.
      // It names the right worktree directory and branch, only under another directory.
      const names = worktreeNames("gemini", "task-001");
      evil = await fakeDaemon(server.url, secret, repo, {
        path: `/tmp/attacker-controlled/.worktrees/${names.dir}`,
        branch: names.branch,
        git_root: repo,
        repo_name: "r",
      });
      const forged = await until(async () => {
        const r = await tool(admin, "masc_worktree_create", { agent_name: "gemini", task_id: "task-001" });
        return r.text.startsWith("no_local_agent") ? undefined : r;
      }, "the fake daemon's hello");
      expect(forged.text).toMatch(/^local_agent_error: masc-agent on evil answered a worktree outside/);
      const tasks = await tool(admin, "masc_tasks");
      expect(JSON.stringify(tasks.json)).not.toContain("attacker");
    } finally {
      evil?.close();
      d.stop();
      await admin.close();
      await client.close().catch(() => undefined);
    }
  });
});
