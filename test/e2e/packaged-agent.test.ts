import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempRepo } from "../../local-agent/test/helpers.ts";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

/**
 * The package as a user gets it: `npm pack`, installed into a temporary prefix, run by its
 * installed command from a fresh repository outside the clone. Notifications are observed through
 * the Linux path (a `notify-send` first on PATH that records what it is asked to show).
 */
const AGENT_DIR = resolve(import.meta.dirname, "../../local-agent");
const VERSION = (JSON.parse(readFileSync(join(AGENT_DIR, "package.json"), "utf8")) as { version: string }).version;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the packed masc-agent, installed like any npm CLI", () => {
  let server: DevServer;
  let work: string;
  let repo: string;
  let env: Record<string, string>;
  let notesFile: string;
  let tarball: string;
  const children: ChildProcess[] = [];

  /** Runs the installed command in the repository, as a user types it. */
  const run = (args: string[], extra: Record<string, string> = {}, input = "") =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      const child = spawn("masc-agent", args, { cwd: repo, env: { ...env, ...extra } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => res({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  const notes = () => readFileSync(notesFile, "utf8").split("\n").filter(Boolean);
  const notified = (message: string) => notes().filter((line) => line.endsWith(`|${message}`)).length;

  beforeAll(async () => {
    server = await startWrangler();
    work = mkdtempSync(join(tmpdir(), "masc-pkg-"));
    execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: AGENT_DIR, stdio: "pipe" });
    const packed = readdirSync(work).find((f) => /^masc-agent-.*\.tgz$/.test(f));
    if (!packed) throw new Error("npm pack made no masc-agent tarball");
    tarball = packed;
    const prefix = join(work, "prefix");
    execFileSync("npm", ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", join(work, tarball)], { stdio: "pipe" });
    const shims = join(work, "shims");
    mkdirSync(shims);
    notesFile = join(work, "notes.txt");
    writeFileSync(notesFile, "");
    writeFileSync(
      join(shims, "notify-send"),
      `#!/bin/sh\n# --app-name=masc <title> <message>\nprintf '%s|%s\\n' "$2" "$3" >> '${notesFile}'\n`,
    );
    chmodSync(join(shims, "notify-send"), 0o755);
    repo = tempRepo("pkg-repo");
    env = {
      HOME: work,
      PATH: [shims, join(prefix, "bin"), dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter),
      MASC_URL: server.url,
    };
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("prints its version, checks the room, and installs hooks that run from the installed command", async () => {
    expect(await run(["--version"])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    // npx runs the tarball too, from an empty directory.
    const empty = mkdtempSync(join(work, "empty-"));
    copyFileSync(join(work, tarball), join(empty, tarball));
    const npx = execFileSync("npx", ["--yes", `./${tarball}`, "--version"], {
      cwd: empty,
      env: { ...env, npm_config_cache: join(work, "npm-cache") },
    });
    expect(npx.toString()).toBe(`${VERSION}\n`);
    const room = await run(["room", "--json"]);
    expect(room.code).toBe(0);
    expect(JSON.parse(room.stdout)).toMatchObject({
      room: "pkg-repo",
      room_from: "directory",
      url: `${server.url}/r/pkg-repo/mcp`,
      server: { reachable: true, auth: "open" },
      repository: repo,
    });
    const down = await run(["room", "--json", "--url", "http://127.0.0.1:9/r/pkg-repo/mcp"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("masc server unreachable at http://127.0.0.1:9");

    const installed = await run(["hooks", "install", "--client", "claude", "--write", "--agent", "claude"]);
    expect(installed).toMatchObject({ code: 0 });
    const settings = readFileSync(join(repo, ".claude/settings.json"), "utf8");
    const prompt = `masc-agent hook prompt --url ${server.url} --room pkg-repo --agent claude`;
    expect(settings).toContain(prompt);
    // The client runs the hook from wherever it is, without our environment: the flags carry the room.
    const { client: claude } = await mcpClient(`${server.url}/r/pkg-repo/mcp`, "claude");
    await tool(claude, "masc_join", { agent_name: "claude" });
    await claude.close();
    const { client } = await mcpClient(`${server.url}/r/pkg-repo/mcp`, "gemini");
    await tool(client, "masc_join", { agent_name: "gemini" });
    await tool(client, "masc_broadcast", { agent_name: "gemini", message: "@claude read the hook" });
    const hook = execFileSync("sh", ["-c", prompt], { cwd: tmpdir(), env: { PATH: env.PATH ?? "" }, input: "{}" }).toString();
    expect(JSON.parse(hook).hookSpecificOutput.additionalContext).toContain("@claude read the hook");
    await client.close();

    const test = await run(["notify", "--test", "--json"]);
    expect(JSON.parse(test.stdout)).toMatchObject({ sent_with: ["notify-send"] });
    // With no notifier on PATH (only node, git and masc-agent): one clear line on the terminal.
    const gitOnly = join(work, "git-only");
    mkdirSync(gitOnly);
    symlinkSync(execFileSync("sh", ["-c", "command -v git"]).toString().trim(), join(gitOnly, "git"));
    const bare = await run(["notify", "--test"], {
      PATH: [dirname(process.execPath), join(work, "prefix", "bin"), gitOnly].join(delimiter),
    });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^\[masc\] masc: test notification for room pkg-repo\nno desktop notifier worked here/);
  });

  it("up and stdio ride out a 10 s server outage and a paused daemon: each mention arrives once, and up never exits on its own", async () => {
    const up = spawn("masc-agent", ["up", "--agent", "claude"], { cwd: repo, env });
    children.push(up);
    let upErr = "";
    up.stderr.on("data", (d) => (upErr += d));
    up.stdout.on("data", () => {});
    await until(() => (upErr.includes("connected to room pkg-repo") ? true : undefined), "up to connect");

    const stdio = new StdioClientTransport({
      command: "masc-agent",
      args: ["stdio", "--room", "pkg-repo"],
      cwd: tmpdir(),
      env,
      stderr: "pipe",
    });
    let bridgeErr = "";
    stdio.stderr?.on("data", (d) => (bridgeErr += d));
    const codex = new Client({ name: "stdio-client", version: "1" });
    const pushed: string[] = [];
    codex.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      pushed.push(String((n.params.data as { body?: string }).body));
    });
    await codex.connect(stdio);
    expect((await tool(codex, "masc_join", { agent_name: "codex" })).json.joined).toBe("codex");

    /** One mention of each, so each side's count is about its own message. */
    const mention = async (text: string, who = ["claude", "codex"]) => {
      const { client } = await mcpClient(`${server.url}/r/pkg-repo/mcp`, "gemini");
      await tool(client, "masc_join", { agent_name: "gemini" });
      for (const agent of who) await tool(client, "masc_broadcast", { agent_name: "gemini", message: `@${agent} ${text}` });
      await client.close();
    };
    const arrived = (text: string) => notified(`@claude ${text}`) > 0 && pushed.includes(`@codex ${text}`);
    await mention("before");
    await until(() => (arrived("before") ? true : undefined), "the first mention");

    const restarted = server.restart(10_000);
    await until(
      () =>
        fetch(`${server.url}/health`).then(
          () => undefined,
          () => true,
        ),
      "the server to go down",
    );
    // Meanwhile a request through the bridge gets an answer at once, not a hang.
    await expect(codex.listTools()).rejects.toThrow(/masc room unreachable .*keeps reconnecting/);
    await restarted;
    await mention("after the restart");
    await until(() => (notified("@claude after the restart") ? true : undefined), "up to notify after the restart");
    await until(() => (pushed.includes("@codex after the restart") ? true : undefined), "stdio to push after the restart");
    // The client's MCP session still works through the bridge.
    expect((await tool(codex, "masc_join", { agent_name: "codex" })).isError).toBe(false);
    expect(upErr).toMatch(/connection to room pkg-repo lost/);
    expect(upErr).toMatch(/connected to room pkg-repo at .* after \d+\.\ds away/);

    // Paused (a laptop lid, a debugger): the mention sent meanwhile is notified once on resume.
    process.kill(up.pid ?? 0, "SIGSTOP");
    await mention("while paused", ["claude"]);
    await sleep(10_000);
    process.kill(up.pid ?? 0, "SIGCONT");
    await until(() => (notified("@claude while paused") ? true : undefined), "the mention sent while paused");

    // A last mention after everything: anything repeated would have come before it.
    await mention("last");
    await until(() => (arrived("last") ? true : undefined), "the last mention");
    for (const m of ["before", "after the restart", "while paused", "last"]) expect(notified(`@claude ${m}`), m).toBe(1);
    for (const m of ["before", "after the restart", "last"])
      expect(
        pushed.filter((p) => p === `@codex ${m}`),
        m,
      ).toHaveLength(1);
    expect(up.exitCode, upErr).toBeNull();

    await codex.close();
    const upExit = new Promise((r) => up.once("exit", (code) => r(code)));
    up.kill("SIGTERM");
    expect(await upExit).toBe(0);
    expect(bridgeErr).toContain(`bridging to ${server.url}/r/pkg-repo/mcp`);

    // Ctrl-C stops the bridge cleanly too.
    const bridge = spawn("masc-agent", ["stdio"], { cwd: repo, env });
    children.push(bridge);
    let err = "";
    bridge.stderr.on("data", (d) => (err += d));
    await until(() => (err.includes("bridging to") ? true : undefined), "the bridge to start");
    const bridgeExit = new Promise((r) => bridge.once("exit", (code) => r(code)));
    bridge.kill("SIGINT");
    expect(await bridgeExit).toBe(0);
  }, 150_000);
});
