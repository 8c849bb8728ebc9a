import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, UsageError } from "../src/cli/parse.ts";
import { resolveSettings, roomName } from "../src/cli/resolve.ts";
import { editTargets, hookConfig, mergeHooks } from "../src/commands/hook.ts";
import { main } from "../src/main.ts";
import { capture, tempRepo } from "./helpers.ts";

describe("parse", () => {
  it("reads a command, its arguments and flags, splitting comma-separated agents", () => {
    expect(parse(["worktree", "create", "claude", "t1", "--base", "dev", "--agent", "a,b", "--agent", "c", "--json"])).toEqual({
      command: "worktree",
      args: ["create", "claude", "t1"],
      flags: { base: "dev", agent: ["a", "b", "c"], json: true },
    });
    expect(parse([]).command).toBe("help");
    expect(() => parse(["up", "--nope"])).toThrow(UsageError);
  });
});

describe("resolve", () => {
  it("takes flags over environment over defaults", async () => {
    const repo = tempRepo();
    const s = await resolveSettings({}, { MASC_URL: "http://127.0.0.1:9999/", MASC_TOKEN: "t" }, repo);
    expect(s).toMatchObject({ url: "http://127.0.0.1:9999", token: "t", root: repo, inGit: true, room: "demo-repo", json: false });
    const f = await resolveSettings(
      { url: "http://127.0.0.1:1/", token: "x" },
      { MASC_URL: "http://127.0.0.1:9999", MASC_CLUSTER_NAME: "team room" },
      repo,
    );
    expect(f).toMatchObject({ url: "http://127.0.0.1:1", token: "x", room: "team-room" });
  });

  it("resolves a worktree to its main repository, so all worktrees share one room", async () => {
    const repo = tempRepo("shared-repo");
    const wt = join(repo, "..", "elsewhere");
    execFileSync("git", ["-C", repo, "worktree", "add", "-q", "-b", "side", wt]);
    const fromWorktree = await resolveSettings({}, {}, wt);
    expect(fromWorktree.root).toBe(repo);
    expect(fromWorktree.room).toBe("shared-repo");
    expect((await resolveSettings({}, { MASC_BASE_PATH: wt }, "/")).room).toBe("shared-repo");
    expect((await resolveSettings({}, { ME_ROOT: repo }, "/")).room).toBe("shared-repo");
  });

  it("uses the directory name outside git and makes names the server accepts", async () => {
    const s = await resolveSettings({ "base-path": "/tmp" }, {}, "/");
    expect(s).toMatchObject({ inGit: false, room: "tmp" });
    expect(roomName("my project!")).toBe("my-project");
    expect(roomName("///")).toBe("default");
  });

  it("refuses an agent name the room would refuse, such as one starting with '-' or '_'", async () => {
    for (const bad of ["-rf", "_x", "a b"]) {
      await expect(resolveSettings({ agent: [bad], "base-path": "/tmp" }, {}, "/")).rejects.toThrow(/start with a letter or digit/);
    }
    const ok = await resolveSettings({ agent: ["claude-2", "c_3"], "base-path": "/tmp" }, {}, "/");
    expect(ok.agents).toEqual(["claude-2", "c_3"]);
  });
});

describe("commands", () => {
  it("prints the room and MCP config for three clients, as text or JSON", async () => {
    const repo = tempRepo("cfg-repo");
    const io = capture();
    // Nothing listens on port 9: the config is still printed, the exit code says the server is not there.
    expect(await main(["room", "--json", "--url", "http://127.0.0.1:9"], io, {}, repo)).toBe(1);
    const out = JSON.parse(io.stdout.join(""));
    expect(out.url).toBe("http://127.0.0.1:9/r/cfg-repo/mcp");
    expect(out.server).toMatchObject({ reachable: false, problem: "unreachable" });
    expect(out.config.codex).toContain('url = "http://127.0.0.1:9/r/cfg-repo/mcp"');
    expect(out.config.gemini.mcpServers.masc.httpUrl).toBe(out.url);
    expect(out.config.claude_code.json.mcpServers.masc).toEqual({ type: "http", url: out.url });
  });

  it("writes hook config in each client's own units and tool names", () => {
    const claude = hookConfig("claude").snippet.hooks;
    const gemini = hookConfig("gemini").snippet.hooks;
    expect(claude.PreToolUse?.[0]?.matcher).toBe("Edit|Write|MultiEdit|NotebookEdit");
    expect(claude.PreToolUse?.[0]?.hooks[0]?.timeout).toBe(5);
    expect(gemini.BeforeTool?.[0]?.matcher).toBe("write_file|replace");
    for (const group of Object.values(gemini)) expect(group[0]?.hooks[0]?.timeout, "milliseconds").toBe(5000);
    const codex = hookConfig("codex");
    expect(codex.file).toBe(".codex/hooks.json");
    expect(codex.snippet.hooks.PreToolUse?.[0]?.matcher).toContain("apply_patch");
  });

  it("finds the files an edit touches, in a Codex patch too", () => {
    expect(editTargets({ file_path: "/r/src/a.ts" })).toEqual(["/r/src/a.ts"]);
    const patch = [
      "*** Begin Patch",
      "*** Update File: src/a.ts",
      "@@",
      "-x",
      "+y",
      "*** Add File: src/new.ts",
      "+z",
      "*** Update File: src/old.ts",
      "*** Move to: src/moved.ts",
      "*** Delete File: src/gone.ts",
      "*** End Patch",
    ].join("\n");
    expect(editTargets({ command: patch })).toEqual(["src/a.ts", "src/new.ts", "src/old.ts", "src/moved.ts", "src/gone.ts"]);
    expect(editTargets({ command: ["apply_patch", patch] })).toHaveLength(5);
    expect(editTargets({ command: "ls -la" })).toEqual([]);
    expect(editTargets(undefined)).toEqual([]);
  });

  it("merges hooks into existing settings, keeping the user's and never adding ours twice", () => {
    const mine = { matcher: "Bash", hooks: [{ type: "command", command: "./lint.sh" }] };
    const current = { model: "x", hooks: { PreToolUse: [mine] } };
    const once = mergeHooks(current, hookConfig("claude").snippet);
    const twice = mergeHooks(once, hookConfig("claude").snippet);
    expect(twice).toEqual(once);
    const hooks = once.hooks as Record<string, Array<{ matcher?: string }>>;
    expect(once.model).toBe("x");
    expect(hooks.PreToolUse?.map((g) => g.matcher)).toEqual(["Bash", "Edit|Write|MultiEdit|NotebookEdit"]);
    expect(Object.keys(hooks)).toEqual(["PreToolUse", "UserPromptSubmit", "PostToolUse"]);
  });

  it("says so when git is not installed", () => {
    const repo = tempRepo();
    const bin = join(import.meta.dirname, "../bin/masc-agent.js");
    let stderr = "";
    let status = 0;
    try {
      execFileSync(process.execPath, [bin, "worktree", "list"], { cwd: repo, env: { PATH: dirname(process.execPath) }, stdio: "pipe" });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
      status = (err as { status: number }).status;
    }
    expect(status).toBe(1);
    expect(stderr).toContain("git is not installed or not on PATH");
  });

  it("fails clearly on a bad command, outside a repository, and for an unreachable server", async () => {
    const io = capture();
    expect(await main(["fly"], io, {}, "/")).toBe(2);
    expect(io.stderr.join("")).toContain("unknown command 'fly'");
    expect(await main(["worktree", "list"], io, {}, "/tmp")).toBe(1);
    expect(io.stderr.join("")).toContain("is not inside a git repository");
    const repo = tempRepo();
    expect(await main(["room", "--url", "http://127.0.0.1:9"], io, {}, repo)).toBe(1);
    expect(io.stderr.join("")).toContain("masc server unreachable at http://127.0.0.1:9");
  });
});
