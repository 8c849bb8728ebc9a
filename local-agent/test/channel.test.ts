import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cursorFile, loadCursor, saveCursor } from "../src/channel/cursor.ts";
import { bounded, CONTENT_MAX, channelEventFor, metaOf, type RoomEvent } from "../src/channel/events.ts";
import { Pacer, summary } from "../src/channel/pacer.ts";
import { UsageError } from "../src/cli/parse.ts";
import { permissionTtl } from "../src/commands/channel.ts";
import { main } from "../src/main.ts";
import { capture, tempRepo } from "./helpers.ts";

let seq = 0;
const ev = (over: Partial<RoomEvent>): RoomEvent => ({
  seq: ++seq,
  kind: "broadcast",
  actor: "codex",
  target: null,
  body: null,
  data: {},
  ...over,
});
const concern = () => ({ agent: "claude-2", refused: new Set<string>() });

describe("which room events reach the session", () => {
  it("passes mentions of the agent, @all and its @@type, and not chatter, others' mentions or its own words", () => {
    const c = concern();
    const mention = (mentions: string[], actor = "codex") =>
      channelEventFor(ev({ actor, body: "hi", target: mentions[0] ?? null, data: { mentions } }), c);
    expect(mention(["claude-2"])).toMatchObject({ content: "codex: hi", meta: { sender: "codex", kind: "mention" } });
    expect(mention(["@all"])?.meta.kind).toBe("mention");
    expect(mention(["@@claude"])?.meta.kind).toBe("mention");
    expect(mention(["bob", "claude-2"])?.meta.kind).toBe("mention");
    expect(mention([])).toBeNull();
    expect(mention(["bob"])).toBeNull();
    expect(mention(["@@gemini"])).toBeNull();
    expect(mention(["claude-2"], "claude-2")).toBeNull();
  });

  it("passes portal messages to it, tasks that became its own, decisions on its interrupts, new votes", () => {
    const c = concern();
    expect(channelEventFor(ev({ kind: "portal_message", target: "claude-2", body: "psst" }), c)?.meta.kind).toBe("direct");
    expect(channelEventFor(ev({ kind: "portal_message", target: "bob", body: "psst" }), c)).toBeNull();
    const task = channelEventFor(
      ev({ kind: "task_claimed", data: { task_id: "t-1", title: "Fix", state: "claimed", assignee: "claude-2" } }),
      c,
    );
    expect(task?.meta).toMatchObject({ kind: "task", task_id: "t-1" });
    expect(channelEventFor(ev({ kind: "task_claimed", data: { task_id: "t-1", state: "claimed", assignee: "bob" } }), c)).toBeNull();
    expect(channelEventFor(ev({ kind: "task_done", data: { task_id: "t-1", state: "done", assignee: "claude-2" } }), c)).toBeNull();
    const decided = channelEventFor(
      ev({ kind: "interrupt_rejected", actor: "lead", target: "claude-2", body: "no", data: { task_id: "t-9", step: 2, action: "rm" } }),
      c,
    );
    expect(decided).toMatchObject({ meta: { kind: "decision", task_id: "t-9", sender: "lead" } });
    expect(decided?.content).toContain("rejected by lead: no");
    expect(
      channelEventFor(
        ev({ kind: "vote_created", target: "@all", data: { vote_id: "vote-001", topic: "ship?", options: ["yes", "no"] } }),
        c,
      )?.meta.kind,
    ).toBe("vote");
    expect(channelEventFor(ev({ kind: "agent_joined" }), c)).toBeNull();
  });

  it("passes the tasks it holds that a finished blocker freed, and its own budget crossings", () => {
    const c = concern();
    const unblocked = (assignees: Array<string | null>) =>
      channelEventFor(
        ev({
          kind: "task_unblocked",
          actor: "bob",
          data: {
            blocker: "task-001",
            unblocked: assignees.map((assignee, i) => ({ task_id: `task-00${i + 2}`, assignee })),
            mentions: assignees.filter((a) => a !== null),
          },
        }),
        c,
      );
    const freed = unblocked(["bob", "claude-2", null]);
    expect(freed?.meta).toMatchObject({ kind: "unblocked", task_id: "task-003", blocker: "task-001", sender: "bob" });
    expect(freed?.content).toBe("task-003 no longer waits for anything: task-001 was finished by bob; carry on");
    expect(unblocked(["bob", null])).toBeNull();
    const crossing = (agent: string, actor: string | null) =>
      channelEventFor(
        ev({
          kind: "budget_exceeded",
          actor,
          data: { agent, scope: "agent", period: "day", message: `${agent} spent $5.00 of a $5.00 day cap`, mentions: [agent] },
        }),
        c,
      );
    // Its own cost_log crossed the cap: still told, unlike its own other doings.
    expect(crossing("claude-2", "claude-2")).toMatchObject({
      content: "claude-2 spent $5.00 of a $5.00 day cap",
      meta: { kind: "budget", period: "day", scope: "agent" },
    });
    expect(crossing("bob", "bob")).toBeNull();
  });

  it("tells of a lock it was refused once it is free, once", () => {
    const c = concern();
    const released = () => channelEventFor(ev({ kind: "lock_released", data: { file: "src/a.ts" } }), c);
    expect(released()).toBeNull();
    c.refused.add("src/a.ts");
    expect(released()).toMatchObject({ meta: { kind: "lock_free", file: "src/a.ts" } });
    expect(released()).toBeNull();
  });

  it("keeps meta keys identifiers and cuts long content saying how to read the rest", () => {
    expect(metaOf({ sender: "a", "bad-key": "x", "x y": "z", seq: 4, none: null })).toEqual({ sender: "a", seq: "4" });
    const long = bounded("x".repeat(CONTENT_MAX + 10), "masc_messages(since_seq: 1)");
    expect(long.startsWith("x".repeat(CONTENT_MAX))).toBe(true);
    expect(long).toContain(`cut at ${CONTENT_MAX} of ${CONTENT_MAX + 10} characters; read it whole with masc_messages(since_seq: 1)`);
    const e = channelEventFor(ev({ body: "y".repeat(5000), data: { mentions: ["claude-2"] } }), concern());
    expect(e?.content).toMatch(/read it whole with masc_messages\(agent_name: "claude-2", since_seq: \d+, limit: 1\)\]$/);
  });
});

describe("a burst", () => {
  it("goes out as a few events and one summary with the count and the call that reads the rest", async () => {
    const out: Array<{ seq: number; meta: Record<string, string>; content: string }> = [];
    const pacer = new Pacer({ perWindow: 3, windowMs: 50, agent: "claude" }, (e) => out.push(e));
    const c = concern();
    const first = seq + 1;
    for (let i = 0; i < 50; i++) pacer.push(channelEventFor(ev({ body: `m${i}`, data: { mentions: ["claude-2"] } }), c) as never);
    expect(out).toHaveLength(3);
    expect(pacer.heldFrom).toBe(first + 2);
    for (let i = 0; i < 100 && out.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    pacer.stop();
    expect(out).toHaveLength(4);
    expect(out[3]?.meta).toMatchObject({ kind: "summary", count: "47", from_seq: String(first + 3), seq: String(first + 49) });
    expect(out[3]?.content).toContain(`masc_listen(agent_name: "claude", since: ${first + 2}`);
    expect(pacer.heldFrom).toBeNull();
    expect(summary([], "x").meta.kind).toBe("summary");
  });

  it("lets a few events over the window's share out as they are, a moment later, not as a count", async () => {
    const out: Array<{ content: string; meta: Record<string, string> }> = [];
    const pacer = new Pacer({ perWindow: 3, windowMs: 50, agent: "claude" }, (e) => out.push(e));
    const c = concern();
    for (let i = 0; i < 5; i++) pacer.push(channelEventFor(ev({ body: `n${i}`, data: { mentions: ["claude-2"] } }), c) as never);
    expect(out).toHaveLength(3);
    for (let i = 0; i < 100 && out.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    pacer.stop();
    expect(out.map((e) => e.content)).toEqual(["codex: n0", "codex: n1", "codex: n2", "codex: n3", "codex: n4"]);
  });
});

describe("masc-agent room", () => {
  it("prints the channel's .mcp.json entry, naming MASC_TOKEN only when there is a token, and the claude line", async () => {
    const repo = tempRepo("chan-repo");
    const io = capture();
    expect(await main(["room", "--json", "--url", "http://127.0.0.1:9", "--agent", "claude-2"], io, {}, repo)).toBe(1);
    const out = JSON.parse(io.stdout.join(""));
    expect(out.config.claude_channel.json.mcpServers.masc).toEqual({
      command: "masc-agent",
      args: ["channel", "--url", "http://127.0.0.1:9", "--room", "chan-repo", "--agent", "claude-2"],
    });
    expect(JSON.stringify(out.config.claude_channel)).not.toContain("MASC_TOKEN");
    expect(out.config.claude_channel.launch).toBe("claude --dangerously-load-development-channels server:masc");
    const withToken = capture();
    await main(["room", "--json", "--url", "http://127.0.0.1:9"], withToken, { MASC_TOKEN: "t" }, repo);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the client's placeholder.
    expect(JSON.parse(withToken.stdout.join("")).config.claude_channel.json.mcpServers.masc.env).toEqual({ MASC_TOKEN: "${MASC_TOKEN}" });
    const text = capture();
    await main(["room", "--url", "http://127.0.0.1:9"], text, {}, repo);
    expect(text.stdout.join("\n")).toContain("then:      claude --dangerously-load-development-channels server:masc");
  });
});

describe("the channel's cursor and options", () => {
  it("keeps one cursor file per server, room and agent, and reads back what it wrote", () => {
    const home = mkdtempSync(join(tmpdir(), "masc-cursor-"));
    const f = cursorFile({ HOME: home }, "http://127.0.0.1:8787", "team", "claude");
    expect(f).toBe(join(home, ".local/state/masc-agent/channels/127.0.0.1_8787--team--claude.json"));
    expect(cursorFile({ XDG_STATE_HOME: "/s" }, "https://x.dev", "r", "a")).toBe("/s/masc-agent/channels/x.dev--r--a.json");
    expect(loadCursor(f)).toBeNull();
    saveCursor(f, 42);
    expect(loadCursor(f)).toBe(42);
    expect(JSON.parse(readFileSync(f, "utf8")).seq).toBe(42);
  });

  it("refuses a bad --permission-timeout and a channel without exactly one agent", async () => {
    expect(permissionTtl(undefined)).toBe(600);
    expect(permissionTtl("5")).toBe(5);
    for (const bad of ["0", "-1", "1.5", "x", "86401"]) expect(() => permissionTtl(bad)).toThrow(UsageError);
    const io = capture();
    expect(await main(["channel", "--room", "r"], io, { HOME: tmpdir() }, tmpdir())).toBe(2);
    expect(io.stderr.join("\n")).toContain("channel needs exactly one --agent NAME");
    const two = capture();
    expect(await main(["channel", "--room", "r", "--agent", "a,b"], two, { HOME: tmpdir() }, tmpdir())).toBe(2);
  });
});
