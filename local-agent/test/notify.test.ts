import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { backoffMs } from "../src/cli/backoff.ts";
import { noteFor } from "../src/daemon/notes.ts";
import { fillTokens, focusCommand, notifyCommands, terminalLine } from "../src/notify/commands.ts";
import { notifierName, notify } from "../src/notify/send.ts";

const note = { title: "@mention from gemini", message: 'look at "this"', target: "claude", from: "gemini", task: "task-001" };
const has =
  (...cmds: string[]) =>
  (c: string) =>
    cmds.includes(c);

describe("notification command lines", () => {
  it("uses terminal-notifier on macOS with a click action from the focus settings", () => {
    const cmds = notifyCommands(note, {
      platform: "darwin",
      env: { MASC_NOTIFY_FOCUS_APP: "Alacritty", MASC_TMUX_SESSION: "masc" },
      has: has("terminal-notifier"),
    });
    expect(cmds).toEqual([
      {
        cmd: "terminal-notifier",
        args: [
          "-title",
          note.title,
          "-message",
          note.message,
          "-group",
          "masc",
          "-execute",
          "open -a 'Alacritty'; tmux select-window -t 'masc:claude'",
        ],
      },
    ]);
  });

  it("prefers MASC_NOTIFY_FOCUS_CMD with its tokens filled in", () => {
    expect(focusCommand(note, { MASC_NOTIFY_FOCUS_CMD: "focus {{target}} from {{from}} on {{task}}", MASC_NOTIFY_FOCUS_APP: "X" })).toBe(
      "focus claude from gemini on task-001",
    );
    expect(fillTokens("{{target}}{{target}}", { title: "", message: "", target: "a" })).toBe("aa");
  });

  it("falls back to osascript on macOS, focusing right away only when MASC_NOTIFY_FOCUS_ON_OSASCRIPT=1", () => {
    const plain = notifyCommands(note, { platform: "darwin", env: { MASC_NOTIFY_FOCUS_APP: "Terminal" }, has: has() });
    expect(plain).toEqual([
      { cmd: "osascript", args: ["-e", 'display notification "look at \\"this\\"" with title "@mention from gemini"'] },
    ]);
    const focus = notifyCommands(note, {
      platform: "darwin",
      env: { MASC_NOTIFY_FOCUS_APP: "Terminal", MASC_NOTIFY_FOCUS_ON_OSASCRIPT: "1" },
      has: has(),
    });
    expect(focus[1]).toEqual({ cmd: "sh", args: ["-c", "open -a 'Terminal'"] });
  });

  it("uses notify-send on Linux and a terminal line elsewhere", async () => {
    expect(notifyCommands(note, { platform: "linux", env: {}, has: has("notify-send") })).toEqual([
      { cmd: "notify-send", args: ["--app-name=masc", note.title, note.message] },
    ]);
    expect(notifyCommands(note, { platform: "linux", env: {}, has: has() })).toEqual([]);
    expect(notifyCommands(note, { platform: "win32", env: {}, has: has("notify-send") })).toEqual([]);
  });

  it("sends through the notifier this host has, or prints the terminal line when it has none", async () => {
    // Found here by looking through PATH, not by the code under test.
    const onHostPath = (cmd: string) => (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, cmd)));
    const expected =
      process.platform === "darwin"
        ? [onHostPath("terminal-notifier") ? "terminal-notifier" : "osascript"]
        : process.platform === "linux" && onHostPath("notify-send")
          ? ["notify-send"]
          : [];
    const lines: string[] = [];
    const ran: string[] = [];
    const sent = await notify(note, { env: {}, run: async (cmd) => void ran.push(cmd), line: (l) => void lines.push(l) });
    expect(sent).toEqual(expected);
    expect(ran).toEqual(expected);
    expect(lines).toEqual(expected.length ? [] : [terminalLine(note)]);
    expect(notifierName({}, process.platform)).toMatch(expected[0] ? new RegExp(`^${expected[0]}$`) : /^a line on this terminal/);
  });
});

describe("the terminal fallback", () => {
  it("is one line with the room's control characters made inert (no escape sequences reach the terminal)", () => {
    const line = terminalLine({ title: "@mention from mallory", message: "hi\u001b]52;c;cm0gLXJmIH4=\u0007\nsecond\u009b2J line" });
    expect(line).toBe("[masc] @mention from mallory: hi\uFFFD]52;c;cm0gLXJmIH4=\uFFFD second\uFFFD2J line");
    expect(
      [...line].filter((c) => (c.codePointAt(0) ?? 0) < 0x20 || ((c.codePointAt(0) ?? 0) >= 0x7f && (c.codePointAt(0) ?? 0) <= 0x9f)),
    ).toEqual([]);
  });
});

describe("which events notify", () => {
  const ev = (kind: string, actor: string | null, target: string | null, data: Record<string, unknown> = {}) => ({
    seq: 1,
    kind,
    actor,
    target,
    body: "hi",
    data,
  });
  it("notifies mentions of this machine's agents, portal messages to them, approvals and finished tasks", () => {
    expect(noteFor(ev("broadcast", "gemini", "claude"), ["claude"])?.title).toBe("@mention from gemini");
    expect(noteFor(ev("broadcast", "gemini", "codex"), ["claude"])).toBeNull();
    expect(noteFor(ev("broadcast", "gemini", "@all"), ["claude"])).not.toBeNull();
    expect(noteFor(ev("broadcast", "claude", "@all"), ["claude"])).toBeNull();
    expect(noteFor(ev("broadcast", "gemini", null), ["claude"])).toBeNull();
    expect(noteFor(ev("portal_message", "gemini", "claude"), ["claude"])?.title).toBe("portal message from gemini");
    expect(noteFor(ev("interrupt_requested", "claude", null, { task_id: "t", step: 2 }), ["x"])?.message).toContain("t step 2");
    expect(noteFor(ev("task_done", "claude", null, { task_id: "task-001", title: "A" }), [])?.message).toBe("claude finished task-001: A");
    expect(noteFor(ev("task_added", "claude", null), [])).toBeNull();
  });

  it("backs off exponentially with jitter up to 30 s", () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30000);
  });
});
