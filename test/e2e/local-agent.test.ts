import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomSession } from "../../local-agent/src/bridge/room-session.ts";
import { checkServer } from "../../local-agent/src/cli/server.ts";
import { Daemon } from "../../local-agent/src/daemon/daemon.ts";
import type { Note } from "../../local-agent/src/notify/commands.ts";
import { tempRepo } from "../../local-agent/test/helpers.ts";
import { mcpClient, tool } from "../helpers/client";
import { until } from "../helpers/until";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const BIN = resolve(import.meta.dirname, "../../local-agent/bin/masc-agent.js");
const ROOM = "la-room";

function cli(args: string[], stdin: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, MASC_CLUSTER_NAME: ROOM, ...env }, timeout: 20_000 },
      (err, stdout, stderr) => res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe("masc-agent against a real wrangler dev and a real git repository", () => {
  let server: DevServer;
  let repo: string;
  let daemon: Daemon;
  const notes: Note[] = [];
  /** A daemon in this process, keeping its last seq in the repository like `masc-agent up`. */
  const startDaemon = () => {
    const d = new Daemon({
      url: server.url,
      room: ROOM,
      root: repo,
      agents: ["claude"],
      notify: async (n) => notes.push(n),
      log: () => {},
      stateFile: join(repo, ".git", "masc-agent.json"),
    });
    d.start();
    return d;
  };

  beforeAll(async () => {
    server = await startWrangler();
    repo = tempRepo("la-repo");
    daemon = startDaemon();
  });
  afterAll(async () => {
    daemon?.stop();
    await server?.stop();
  });

  it("creates, lists and removes worktrees through MCP tools, refusing a dirty one", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "claude");
    await tool(client, "masc_join", { agent_name: "claude" });
    await tool(client, "masc_add_task", { title: "feature A" });
    const created = await until(async () => {
      const r = await tool(client, "masc_worktree_create", { agent_name: "claude", task_id: "task-001" });
      return r.isError ? undefined : r;
    }, "the daemon to connect");
    const path = join(repo, ".worktrees", "claude.task-001");
    expect(created.json).toMatchObject({ path, branch: "claude/task-001", git_root: repo, repo_name: "la-repo", created: true });
    expect(existsSync(join(path, "README.md"))).toBe(true);
    expect((await tool(client, "masc_tasks")).json.tasks[0].worktree).toEqual({
      branch: "claude/task-001",
      path,
      git_root: repo,
      repo_name: "la-repo",
    });
    const listed = await tool(client, "masc_worktree_list");
    expect(listed.json.worktrees.find((w: { path: string }) => w.path === path)).toMatchObject({
      is_masc: true,
      branch: "claude/task-001",
    });

    writeFileSync(join(path, "draft.txt"), "wip\n");
    const refused = await tool(client, "masc_worktree_remove", { agent_name: "claude", task_id: "task-001" });
    expect(refused.text).toMatch(/^local_agent_error: .*uncommitted change.*force/);
    expect(existsSync(path)).toBe(true);
    const removed = await tool(client, "masc_worktree_remove", { agent_name: "claude", task_id: "task-001", force: true });
    expect(removed.json).toMatchObject({ removed: path, branch_deleted: true });
    expect(existsSync(path)).toBe(false);
    await client.close();
  });

  it("notifies mentions of its agents once, also across a reconnect", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "gemini");
    await tool(client, "masc_join", { agent_name: "gemini" });
    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@claude first" });
    await until(async () => (notes.some((n) => n.message === "@claude first") ? true : undefined), "the first mention");
    daemon.stop();
    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@claude while you were away" });
    daemon = startDaemon();
    await until(async () => (notes.some((n) => n.message === "@claude while you were away") ? true : undefined), "the missed mention");
    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@codex not for claude" });
    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@claude last" });
    await until(async () => (notes.some((n) => n.message === "@claude last") ? true : undefined), "the last mention");
    const mentions = notes.map((n) => n.message);
    expect(mentions.filter((m) => m === "@claude first")).toHaveLength(1);
    expect(mentions.filter((m) => m === "@claude while you were away")).toHaveLength(1);
    expect(mentions).not.toContain("@codex not for claude");
    await client.close();
  });

  it("bridges stdio to the room, pushes included", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, "stdio", "--url", server.url],
      env: { ...process.env, MASC_CLUSTER_NAME: ROOM } as Record<string, string>,
    });
    const client = new Client({ name: "stdio-test", version: "1" });
    const pushed: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      pushed.push(String((n.params.data as { body?: string }).body));
    });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("masc_worktree_create");
    expect((await tool(client, "masc_join", { agent_name: "codex" })).json.joined).toBe("codex");
    const { client: other } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "gemini");
    await until(async () => {
      await tool(other, "masc_broadcast", { agent_name: "gemini", message: "@codex over stdio" });
      return pushed.includes("@codex over stdio") ? true : undefined;
    }, "a push through the bridge");
    await other.close();
    await client.close();
  });

  it("starts a new session with the client's own initialize when the room forgets the bridge's session", async () => {
    const url = `${server.url}/r/${ROOM}/mcp`;
    const got: Array<Record<string, unknown>> = [];
    const logs: string[] = [];
    const session = new RoomSession(url, undefined, (line) => logs.push(line));
    session.onmessage = (m) => void got.push(m);
    const init = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bridge-test", version: "1" } };
    await session.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: init });
    await session.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    // Each round the push stream and the next request find the session gone at about the same
    // time; whichever comes first starts over, the other uses the new session.
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const old = session.sessionId;
      expect(old).toBeTruthy();
      const deleted = await fetch(url, { method: "DELETE", headers: { "mcp-session-id": old ?? "" } });
      expect(deleted.ok).toBe(true);
      const id = 2 + round;
      await session.send({ jsonrpc: "2.0", id, method: "tools/list" });
      expect(session.sessionId).not.toBe(old);
      const reply = got.find((m) => m.id === id) as { result?: { tools?: unknown[] } } | undefined;
      expect(reply?.result?.tools?.length).toBeGreaterThan(0);
    }
    expect(logs.filter((l) => l.includes("starting a new one"))).toHaveLength(rounds);
    // Only the client's own requests are answered: the re-initialize replies stay inside the bridge.
    expect(got.filter((m) => typeof m.id !== "number" && "result" in m)).toEqual([]);
    session.close();
  });

  it("denies an edit to a file another agent locked, adds mentions to the prompt, and allows when the room is down", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "gemini");
    await tool(client, "masc_lock", { agent_name: "gemini", file: "src/a.ts" });
    mkdirSync(join(repo, "src"), { recursive: true });
    const input = JSON.stringify({
      hook_event_name: "PreToolUse",
      tool_name: "Edit",
      tool_input: { file_path: join(repo, "src/a.ts") },
      cwd: repo,
    });
    const denied = await cli(["hook", "pre-edit", "--url", server.url, "--agent", "claude", "--base-path", repo], input);
    expect(denied.code).toBe(0);
    const decision = JSON.parse(denied.stdout).hookSpecificOutput;
    expect(decision).toMatchObject({ hookEventName: "PreToolUse", permissionDecision: "deny" });
    expect(decision.permissionDecisionReason).toMatch(/^src\/a\.ts is locked by gemini until /);
    // Gemini CLI sends its own event name and reads a top-level decision.
    const geminiInput = JSON.stringify({
      hook_event_name: "BeforeTool",
      tool_name: "replace",
      tool_input: { file_path: "src/a.ts" },
      cwd: repo,
    });
    const geminiDenied = await cli(["hook", "pre-edit", "--url", server.url, "--agent", "claude", "--base-path", repo], geminiInput);
    expect(JSON.parse(geminiDenied.stdout)).toEqual({
      decision: "deny",
      reason: expect.stringMatching(/^src\/a\.ts is locked by gemini until /),
    });
    // Codex edits through apply_patch: the locked file is the second one its patch touches.
    const patch = "*** Begin Patch\n*** Update File: README.md\n@@\n-a\n+b\n*** Update File: src/a.ts\n@@\n-c\n+d\n*** End Patch";
    const codexInput = JSON.stringify({
      hook_event_name: "PreToolUse",
      tool_name: "apply_patch",
      tool_input: { command: patch },
      cwd: repo,
    });
    const codexDenied = await cli(["hook", "pre-edit", "--url", server.url, "--agent", "claude", "--base-path", repo], codexInput);
    expect(JSON.parse(codexDenied.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: "deny" });
    expect(JSON.parse(codexDenied.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(/^src\/a\.ts is locked by gemini/);
    const mine = await cli(["hook", "pre-edit", "--url", server.url, "--agent", "gemini", "--base-path", repo], input);
    expect(mine.stdout).toBe("");
    const free = JSON.stringify({ tool_input: { file_path: join(repo, "README.md") }, cwd: repo });
    expect((await cli(["hook", "pre-edit", "--url", server.url, "--agent", "claude", "--base-path", repo], free)).stdout).toBe("");

    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@claude please rebase" });
    const prompt = await cli(["hook", "prompt", "--url", server.url, "--agent", "claude", "--base-path", repo], "{}");
    expect(JSON.parse(prompt.stdout).hookSpecificOutput.additionalContext).toContain("@mention from gemini: @claude please rebase");
    const geminiPrompt = await cli(
      ["hook", "prompt", "--url", server.url, "--agent", "claude", "--base-path", repo],
      JSON.stringify({ hook_event_name: "BeforeAgent", prompt: "go on" }),
    );
    expect(JSON.parse(geminiPrompt.stdout).hookSpecificOutput).toMatchObject({
      hookEventName: "BeforeAgent",
      additionalContext: expect.stringContaining("@claude please rebase"),
    });

    const down = await cli(["hook", "pre-edit", "--url", "http://127.0.0.1:9", "--agent", "claude", "--base-path", repo], input);
    expect(down).toMatchObject({ code: 0, stdout: "" });
    expect(down.stderr).toContain("allowing the edit");
    await client.close();
  });

  it("refuses to start with a token the room does not accept, and connects with one it does", async () => {
    const { client } = await mcpClient(`${server.url}/r/la-auth/mcp`, "admin");
    await tool(client, "masc_switch_mode", { mode: "full" });
    const enabled = await tool(client, "masc_auth_enable");
    expect(enabled.json.enabled).toBe(true);
    const bad = await cli(["up", "--url", server.url, "--token", "masc_wrong", "--base-path", repo], "", { MASC_CLUSTER_NAME: "la-auth" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("room la-auth refused the token");
    // `room` says which it is: no token where one is needed, or a token the room refuses.
    const none = await cli(["room", "--json", "--url", server.url, "--base-path", repo], "", { MASC_CLUSTER_NAME: "la-auth" });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).server).toMatchObject({ reachable: true, problem: "auth needed" });
    expect(none.stderr).toContain("room la-auth has auth on: pass --token or set MASC_TOKEN");
    const wrong = await cli(["room", "--json", "--url", server.url, "--token", "masc_wrong"], "", { MASC_CLUSTER_NAME: "la-auth" });
    expect(JSON.parse(wrong.stdout).server).toMatchObject({ reachable: true, problem: "token refused" });
    // Any other refusal is passed on in the server's own words.
    expect(await checkServer({ url: server.url, room: "not a room" })).toEqual({
      ok: false,
      problem: "room error",
      message: "room not a room answered 400: room must be 1-64 characters of letters, digits, '.', '_' or '-'",
    });
    await client.close();

    // With a good token the daemon's WebSocket is let in, and the room can reach it.
    const { client: admin } = await mcpClient(`${server.url}/r/la-auth/mcp`, "admin", {
      authorization: `Bearer ${enabled.json.room_secret}`,
    });
    await tool(admin, "masc_switch_mode", { mode: "full" });
    const token = (await tool(admin, "masc_auth_create_token", { agent_name: "claude", role: "worker" })).json.token;
    const d = new Daemon({
      url: server.url,
      room: "la-auth",
      root: repo,
      agents: ["claude"],
      token,
      notify: async () => {},
      log: () => {},
      stateFile: join(repo, ".git", "masc-agent-auth.json"),
    });
    d.start();
    try {
      const listed = await until(async () => {
        const r = await tool(admin, "masc_worktree_list");
        return r.isError ? undefined : r;
      }, "the daemon to connect with its token");
      expect(Array.isArray(listed.json.worktrees)).toBe(true);
    } finally {
      d.stop();
      await admin.close();
    }
  });

  it("says no masc-agent is connected, and how to start one, once the daemon stops", async () => {
    daemon.stop();
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "claude");
    await tool(client, "masc_join", { agent_name: "claude" });
    const reply = await until(async () => {
      const r = await tool(client, "masc_worktree_list");
      return r.text.startsWith("no_local_agent") ? r : undefined;
    }, "the room to notice the daemon left");
    expect(reply.text).toMatch(
      /^no_local_agent: no masc-agent is connected to room la-room; start one in the repository with: masc-agent up --url /,
    );
    await client.close();
  });
});
