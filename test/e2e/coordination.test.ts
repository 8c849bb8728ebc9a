import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon } from "../../local-agent/src/daemon/daemon.ts";
import { tempRepo } from "../../local-agent/test/helpers.ts";
import { mcpClient, tool } from "../helpers/client";
import { until } from "../helpers/until";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const BIN = resolve(import.meta.dirname, "../../local-agent/bin/masc-agent.js");
const ROOM = "guard-room";

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd, env: { ...process.env, MASC_CLUSTER_NAME: ROOM, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("coordination against a real wrangler dev", () => {
  let server: DevServer;
  let repo: string;
  let daemon: Daemon;

  beforeAll(async () => {
    server = await startWrangler();
    repo = tempRepo("guard-repo");
    daemon = new Daemon({
      url: server.url,
      room: ROOM,
      root: repo,
      agents: ["ann", "bob"],
      notify: async () => {},
      log: () => {},
      stateFile: join(repo, ".git", "masc-agent.json"),
    });
    daemon.start();
  });
  afterAll(async () => {
    daemon?.stop();
    await server?.stop();
  });

  it("the pre-commit guard refuses a commit over another agent's lease in a worktree, and allows it after release", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "guard");
    await tool(client, "masc_join", { agent_name: "ann" });
    await tool(client, "masc_join", { agent_name: "bob" });
    const made = async (agent: string, task: string) =>
      until(async () => {
        const r = await tool(client, "masc_worktree_create", { agent_name: agent, task_id: task });
        return r.isError ? undefined : (r.json as { path: string });
      }, "the daemon to create a worktree");
    const annTree = await made("ann", "auth");
    const bobTree = await made("bob", "auth");
    expect(annTree.path).not.toBe(bobTree.path);

    // A hook of the user's own is kept and still runs.
    const hooks = join(repo, ".git", "hooks");
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, "pre-commit"), `#!/bin/sh\necho mine >> "${join(repo, ".git", "mine.log")}"\n`, { mode: 0o755 });
    const env = { MASC_URL: server.url };
    const installed = await run(process.execPath, [BIN, "hooks", "install", "--git"], repo, env);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/installed .*pre-commit \(your previous hook runs first/);
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toContain("git commit --no-verify");
    expect((await run(process.execPath, [BIN, "hooks", "install", "--git"], repo, env)).stdout).toMatch(/^updated /);

    expect((await tool(client, "masc_lock", { agent_name: "ann", file: "src/auth/" })).isError).toBe(false);
    mkdirSync(join(bobTree.path, "src", "auth"), { recursive: true });
    writeFileSync(join(bobTree.path, "src", "auth", "Login.ts"), "export {};\n");
    execFileSync("git", ["-C", bobTree.path, "add", "."]);
    const refused = await run("git", ["commit", "-q", "-m", "bob over ann"], bobTree.path, {});
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("masc: commit refused for bob");
    expect(refused.stderr).toMatch(/src\/auth\/Login\.ts: under src\/auth\/, leased by ann until /);
    expect(refused.stderr).toContain("--no-verify");
    expect(readFileSync(join(repo, ".git", "mine.log"), "utf8")).toBe("mine\n");

    // The pre-edit hook, run in bob's worktree, denies an edit under ann's lease (case twin included).
    const edit = JSON.stringify({
      hook_event_name: "PreToolUse",
      tool_name: "Edit",
      tool_input: { file_path: join(bobTree.path, "SRC", "Auth", "new.ts") },
      cwd: bobTree.path,
    });
    const hook = await new Promise<string>((res) => {
      const child = execFile(
        process.execPath,
        [BIN, "hook", "pre-edit", "--agent", "bob", "--url", server.url, "--room", ROOM],
        { cwd: bobTree.path },
        (_e, stdout) => res(stdout),
      );
      child.stdin?.end(edit);
    });
    expect(JSON.parse(hook).hookSpecificOutput).toMatchObject({
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringMatching(/^SRC\/Auth\/new\.ts is under src\/auth\/, leased by ann until /),
    });

    // Ann's own commit under her lease goes through.
    mkdirSync(join(annTree.path, "src", "auth"), { recursive: true });
    writeFileSync(join(annTree.path, "src", "auth", "a.ts"), "export {};\n");
    execFileSync("git", ["-C", annTree.path, "add", "."]);
    expect((await run("git", ["commit", "-q", "-m", "ann"], annTree.path, {})).code).toBe(0);

    await tool(client, "masc_unlock", { agent_name: "ann", file: "src/auth/" });
    const allowed = await run("git", ["commit", "-q", "-m", "bob after release"], bobTree.path, {});
    expect(allowed.code).toBe(0);

    writeFileSync(join(bobTree.path, "b.txt"), "x\n");
    execFileSync("git", ["-C", bobTree.path, "add", "."]);
    // Installed against a room that is not there: the commit goes through with a warning.
    expect((await run(process.execPath, [BIN, "hooks", "install", "--git", "--url", "http://127.0.0.1:9"], repo, {})).code).toBe(0);
    const offline = await run("git", ["commit", "-q", "-m", "room down"], bobTree.path, {});
    expect(offline.code).toBe(0);
    expect(offline.stderr).toMatch(/masc: room unreachable .*committing without the lock check/);
    expect(existsSync(join(hooks, "pre-commit.before-masc"))).toBe(true);
    await client.close();
  });
  it("a thread and a search through the official SDK client", async () => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "threads");
    await tool(client, "masc_join", { agent_name: "cy" });
    const root = await tool(client, "masc_broadcast", { agent_name: "cy", message: "What did we decide about the invoice module?" });
    const reply = await tool(client, "masc_broadcast", {
      agent_name: "ann",
      message: "@cy invoices keep cents as integers",
      reply_to: root.json.seq,
    });
    expect(reply.json).toMatchObject({ thread: root.json.seq, mention: "cy" });
    const thread = await tool(client, "masc_messages", { thread: root.json.seq });
    expect(thread.json.messages.map((m: { from: string }) => m.from)).toEqual(["cy", "ann"]);
    const found = await tool(client, "masc_search", { query: "invoice*", kinds: ["message"] });
    expect(found.json.hits.map((h: { ref: string }) => Number(h.ref)).sort()).toEqual([root.json.seq, reply.json.seq].sort());
    expect(found.json.hits[0].snippet).toMatch(/\[invoice/);
    expect((await tool(client, "masc_search", { query: "AND" })).text).toMatch(/^invalid_input: query 'AND' is not valid search syntax/);
    await client.close();
  });
});
