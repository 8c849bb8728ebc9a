import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RoomEvent } from "../../src/room/events";
import { parseMentions } from "../../src/room/mentions";
import { forAgentSql, isFor } from "../../src/room/push";
import { memoryDb } from "../helpers/node-db";

describe("mentions", () => {
  it.each([
    ["hi @gemini, please review", ["gemini"]],
    ["@@claude all of you", ["@@claude"]],
    ["@all standup", ["@all"]],
    ["@ALL caps still everyone", ["@all"]],
    ["@gemini and @codex, then @gemini again", ["gemini", "codex"]],
    ["mail me at dev@example.com", []],
    ["no mentions here", []],
    ["(@claude-2) in parens; @x_y.", ["claude-2", "x_y"]],
    ["@", []],
  ])("parses %j", (text, expected) => {
    expect(parseMentions(text)).toEqual(expected);
  });
});

const event = (target: string | null, mentions: string[] = []): RoomEvent => ({
  seq: 1,
  ts: 0,
  kind: "broadcast",
  actor: "x",
  target,
  body: null,
  data: { mentions },
});

describe("who an event is for", () => {
  it("sends untargeted and @all to everyone, @name to that agent, @@type to its type", () => {
    expect(isFor(event(null), "claude")).toBe(true);
    expect(isFor(event("@all", ["@all"]), null)).toBe(true);
    expect(isFor(event("gemini", ["gemini"]), "gemini")).toBe(true);
    expect(isFor(event("gemini", ["gemini"]), "claude")).toBe(false);
    expect(isFor(event("@@claude", ["@@claude"]), "claude-2")).toBe(true);
    expect(isFor(event("@@claude", ["@@claude"]), "gemini")).toBe(false);
  });

  it("reaches every agent a message names, not only the first", () => {
    const e = event("gemini", ["gemini", "codex"]);
    expect(isFor(e, "codex")).toBe(true);
    expect(isFor(e, "claude")).toBe(false);
  });

  it("agrees with its SQL form for any targets and agents", () => {
    const db = memoryDb();
    const name = fc.constantFrom("claude", "claude-2", "gemini", "codex_a", "all");
    const mention = fc.oneof(
      name,
      name.map((n) => `@@${n.split(/[-_]/)[0]}`),
      fc.constant("@all"),
    );
    fc.assert(
      fc.property(fc.array(mention, { maxLength: 3 }), name, fc.boolean(), (mentions, agent, untargeted) => {
        const e = event(untargeted ? null : (mentions[0] ?? null), mentions);
        db.run("DELETE FROM events");
        db.run("INSERT INTO events (ts, kind, target, data) VALUES (0, 'broadcast', ?, ?)", e.target, JSON.stringify(e.data));
        const f = forAgentSql(agent);
        const sqlSays = db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM events e WHERE ${f.sql}`, ...f.params)?.n === 1;
        expect(sqlSays).toBe(isFor(e, agent));
      }),
      { numRuns: 200 },
    );
  });
});
