import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_HELP } from "../src/cli/help.ts";
import { parse, UsageError } from "../src/cli/parse.ts";
import { resolveSettings, roomName, serverUrl } from "../src/cli/resolve.ts";
import { hookConfig, hookFlags, mergeHooks } from "../src/commands/hook.ts";
import { main } from "../src/main.ts";
import { capture, tempRepo } from "./helpers.ts";

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as { version: string };

describe("help, version and usage errors", () => {
  it("prints the package version for --version and -v", async () => {
    for (const flag of ["--version", "-v"]) {
      const io = capture();
      expect(await main([flag], io, {}, "/")).toBe(0);
      expect(io.stdout).toEqual([pkg.version]);
    }
  });

  it("gives each command its own help with an example, for --help and help <command>", async () => {
    for (const command of Object.keys(COMMAND_HELP)) {
      const a = capture();
      expect(await main([command, "--help"], a, {}, "/")).toBe(0);
      expect(a.stdout[0]).toMatch(new RegExp(`^masc-agent ${command} `));
      expect(a.stdout[0]).toMatch(/Examples?:\n {2}/);
      expect(a.stdout[0]).toContain("Exit codes: 0 ok, 1 error");
      const b = capture();
      expect(await main(["help", command], b, {}, "/")).toBe(0);
      expect(b.stdout).toEqual(a.stdout);
    }
    const io = capture();
    expect(await main(["hooks", "install", "--help"], io, {}, "/")).toBe(0);
    expect(io.stdout[0]).toMatch(/^masc-agent hook /);
  });

  it("exits 2 with the reason for an unknown command, option or hook, and for 'hooks' alone", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["fly"], /unknown command 'fly'/],
      [["up", "--nope"], /Unknown option '--nope'/],
      [["help", "fly"], /unknown command 'fly'/],
      [["hooks"], /which hook\?/],
      [["notify"], /usage: masc-agent notify --test/],
      [["room", "--room", "my room"], /--room must be 1-64 characters .*closest valid name is my-room/],
      [["room", "--url", "ftp://x"], /--url must be http or https/],
      [["hooks", "install", "--agent", "x; rm -rf ~"], /--agent must be agent names .* got 'x; rm -rf ~'/],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await main(argv, io, {}, "/tmp"), argv.join(" ")).toBe(2);
      expect(io.stderr.join("\n")).toMatch(message);
    }
    // Exit 2 from an agent hook means "block" to Claude Code and Gemini CLI: a broken hook exits 1 instead.
    const hook = capture();
    expect(await main(["hook", "pre-edit", "--agent", "not a name"], hook, {}, "/tmp")).toBe(1);
    expect(hook.stderr.join("")).toContain("--agent must be agent names");
    expect(parse(["worktrees", "list"]).command).toBe("worktree");
    expect(() => parse(["--url"])).toThrow(UsageError);
  });
});

describe("server URL and room", () => {
  it("takes the base URL from any MCP URL of the server, and the room it names", () => {
    expect(serverUrl("http://127.0.0.1:8787")).toEqual({ base: "http://127.0.0.1:8787", room: null });
    expect(serverUrl("http://127.0.0.1:8787/")).toEqual({ base: "http://127.0.0.1:8787", room: null });
    expect(serverUrl("https://m.example.dev/r/demo/mcp")).toEqual({ base: "https://m.example.dev", room: "demo" });
    expect(serverUrl("https://m.example.dev/r/demo/mcp/?mode=full")).toEqual({ base: "https://m.example.dev", room: "demo" });
    expect(serverUrl("wss://m.example.dev/r/demo/ws".replace("wss", "https"))).toEqual({ base: "https://m.example.dev", room: "demo" });
    expect(serverUrl("https://m.example.dev/r/demo")).toEqual({ base: "https://m.example.dev", room: "demo" });
    expect(serverUrl("https://m.example.dev/mcp")).toEqual({ base: "https://m.example.dev", room: "default" });
    expect(serverUrl("https://m.example.dev/masc/r/x/mcp")).toEqual({ base: "https://m.example.dev/masc", room: "x" });
  });

  it("chooses --room, then the room in the URL, then MASC_CLUSTER_NAME, then the repository's name, and says what it used", async () => {
    const repo = tempRepo("My Repo (ü)");
    const dir = await resolveSettings({}, {}, repo);
    expect(dir).toMatchObject({ room: "My-Repo-u", roomFrom: "directory", roomGiven: "My Repo (ü)" });
    expect(dir.notices).toEqual(["room My-Repo-u (from the directory name 'My Repo (ü)', which is not a valid room name)"]);
    const env = await resolveSettings({}, { MASC_CLUSTER_NAME: "team" }, repo);
    expect(env).toMatchObject({ room: "team", roomFrom: "MASC_CLUSTER_NAME", roomGiven: null, notices: [] });
    const url = await resolveSettings({ url: "http://h:1/r/demo/mcp" }, { MASC_CLUSTER_NAME: "team" }, repo);
    expect(url).toMatchObject({ url: "http://h:1", room: "demo", roomFrom: "url" });
    expect(url.notices).toEqual(["using server http://h:1 and room demo from --url http://h:1/r/demo/mcp"]);
    const flag = await resolveSettings({ room: "mine", url: "http://h:1" }, { MASC_CLUSTER_NAME: "team" }, repo);
    expect(flag).toMatchObject({ room: "mine", roomFrom: "--room" });
    await expect(resolveSettings({ room: "a", url: "http://h:1/r/b/mcp" }, {}, repo)).rejects.toThrow(/name different rooms/);
    expect(roomName("über café")).toBe("uber-cafe");
  });
});

describe("hooks install", () => {
  it("writes the resolved URL, room and agent into every hook command, and replaces an older install", async () => {
    const repo = tempRepo("hook-repo");
    const io = capture();
    const args = ["hooks", "install", "--client", "claude", "--write", "--agent", "claude", "--url", "http://127.0.0.1:9/r/team/mcp"];
    mkdirSync(join(repo, ".claude"));
    const older = { hooks: { PreToolUse: [{ matcher: "Edit", hooks: [{ type: "command", command: "npx masc-agent hook pre-edit" }] }] } };
    writeFileSync(join(repo, ".claude/settings.json"), JSON.stringify(older));
    expect(await main(args, io, {}, repo)).toBe(0);
    expect(io.stdout.join("")).toBe(`wrote ${join(repo, ".claude/settings.json")}: hooks for room team at http://127.0.0.1:9 as claude`);
    const written = JSON.parse(readFileSync(join(repo, ".claude/settings.json"), "utf8"));
    const commands = Object.values(written.hooks as Record<string, Array<{ hooks: Array<{ command: string }> }>>).flatMap((groups) =>
      groups.flatMap((g) => g.hooks.map((h) => h.command)),
    );
    expect(commands).toEqual([
      "masc-agent hook pre-edit --url http://127.0.0.1:9 --room team --agent claude",
      "masc-agent hook prompt --url http://127.0.0.1:9 --room team --agent claude",
      "masc-agent hook post-tool --url http://127.0.0.1:9 --room team --agent claude",
    ]);
  });

  it("quotes what a shell would split", () => {
    expect(hookFlags({ url: "http://h:1/a b", room: "r", agents: [] })).toBe("--url 'http://h:1/a b' --room r");
    const once = mergeHooks({}, hookConfig("gemini", "--room a").snippet);
    const again = mergeHooks(once, hookConfig("gemini", "--room b").snippet);
    expect(JSON.stringify(again)).not.toContain("--room a");
    expect(Object.values(again.hooks as object).flat()).toHaveLength(3);
  });
});
