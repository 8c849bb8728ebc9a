import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { cursorOf, markDelivered, markDeliveredAll } from "../../src/room/cursors";
import { parseMentions } from "../../src/room/mentions";
import { broadcast, listenBatch, messagePage, receiptsFor, unreadFor, unreadTally } from "../../src/room/messages";
import { closePortal, openPortal, portalStatus, sendPortal } from "../../src/room/portals";
import type { Db } from "../../src/room/sql";
import { SEES_ALL } from "../../src/room/visibility";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const say = (db: Db, from: string, text: string) => broadcast(db, T0, from, text, parseMentions(text));

describe("messages, cursors and receipts", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    for (const a of ["claude", "gemini", "codex"]) join(db, T0, a);
  });

  it("counts unread messages for me, mentions apart, never my own", () => {
    say(db, "claude", "hello room");
    say(db, "claude", "@gemini look");
    say(db, "claude", "@codex not you");
    say(db, "gemini", "my own");
    expect(unreadFor(db, "gemini")).toEqual({ count: 2, mentions: 1 });
    expect(unreadFor(db, "claude")).toEqual({ count: 1, mentions: 0 });
  });

  it("counts unread incrementally onto the last tally, and from scratch once the agent read", () => {
    say(db, "claude", "one");
    const first = unreadTally(db, "gemini");
    expect(first).toMatchObject({ count: 1, mentions: 0 });
    say(db, "claude", "@gemini two");
    say(db, "gemini", "my own");
    const second = unreadTally(db, "gemini", first ?? undefined);
    expect(second).toMatchObject({ count: 2, mentions: 1 });
    expect(second).toMatchObject(unreadFor(db, "gemini"));
    messagePage(db, { since: 0, limit: 1, reader: "gemini", viewer: SEES_ALL });
    say(db, "codex", "three");
    const third = unreadTally(db, "gemini", second ?? undefined);
    expect(third).toMatchObject({ ...unreadFor(db, "gemini"), count: 2 });
    expect(unreadTally(db, "nobody")).toBeNull();
  });

  it("does not count what was said before an agent first joined", () => {
    say(db, "claude", "old news");
    join(db, T0, "late");
    say(db, "claude", "new news");
    expect(unreadFor(db, "late").count).toBe(1);
  });

  it("pages history and marks it read for the reader", () => {
    for (let i = 1; i <= 5; i++) say(db, "claude", `m${i}`);
    const first = messagePage(db, { since: 0, limit: 3, reader: "gemini", viewer: SEES_ALL });
    expect(first.events.map((e) => e.body)).toEqual(["m1", "m2", "m3"]);
    expect(first.has_more).toBe(true);
    expect(unreadFor(db, "gemini").count).toBe(2);
    const rest = messagePage(db, { since: first.next_seq, limit: 3, reader: "gemini", viewer: SEES_ALL });
    expect(rest.events.map((e) => e.body)).toEqual(["m4", "m5"]);
    expect(rest.has_more).toBe(false);
    expect(unreadFor(db, "gemini").count).toBe(0);
  });

  it("shows the sender who a message was delivered to and who read it", () => {
    const sent = say(db, "claude", "@gemini @codex review please");
    markDelivered(db, "codex", sent.seq);
    messagePage(db, { since: 0, limit: 10, reader: "gemini", viewer: SEES_ALL });
    const page = messagePage(db, { since: 0, limit: 10, reader: null, viewer: SEES_ALL });
    expect(receiptsFor(db, page.events).get(sent.seq)).toEqual({ delivered_to: ["codex", "gemini"], read_by: ["gemini"] });
  });

  it("marks many agents delivered at once, creating cursors that do not exist yet, never moving one back", () => {
    const sent = say(db, "claude", "@all standup");
    cursorOf(db, "gemini");
    markDelivered(db, "codex", sent.seq + 5);
    markDeliveredAll(db, new Set(["gemini", "codex", "claude"]), sent.seq);
    expect(["gemini", "codex", "claude"].map((a) => cursorOf(db, a).delivered_seq)).toEqual([sent.seq, sent.seq + 5, sent.seq]);
  });

  it("listens with mentions of me first and moves my read cursor", () => {
    say(db, "claude", "general");
    say(db, "claude", "@gemini for you");
    const batch = listenBatch(db, "gemini", cursorOf(db, "gemini").read_seq, "messages", 50);
    expect(batch.events.map((e) => e.body)).toEqual(["@gemini for you", "general"]);
    expect(unreadFor(db, "gemini").count).toBe(0);
    expect(listenBatch(db, "gemini", batch.next_since, "messages", 50).events).toEqual([]);
  });

  it("lets a portal's target read its messages, and closes on either side", () => {
    openPortal(db, T0, "claude", "gemini");
    sendPortal(db, T0, "claude", "secret plan");
    expect(unreadFor(db, "gemini")).toEqual({ count: 1, mentions: 1 });
    const status = portalStatus(db, "gemini");
    expect(status.portal?.opener).toBe("claude");
    expect(status.pending.map((e) => e.body)).toEqual(["secret plan"]);
    expect(unreadFor(db, "gemini").count).toBe(0);
    expect(portalStatus(db, "gemini").pending).toEqual([]);
    sendPortal(db, T0, "gemini", "ack");
    expect(messagePage(db, { since: 0, limit: 10, reader: "claude", viewer: SEES_ALL }).events.map((e) => e.body)).toEqual([
      "secret plan",
      "ack",
    ]);
    expect(messagePage(db, { since: 0, limit: 10, reader: "codex", viewer: SEES_ALL }).events).toEqual([]);
    closePortal(db, T0, "gemini");
    expect(portalStatus(db, "claude").portal).toBeUndefined();
  });

  it("keeps one open portal per agent", () => {
    openPortal(db, T0, "claude", "gemini");
    expect(openPortal(db, T0, "claude", "gemini").created).toBe(false);
    expect(() => openPortal(db, T0, "claude", "codex")).toThrow(/already has an open portal with gemini/);
    expect(() => openPortal(db, T0, "codex", "gemini")).toThrow(/gemini is busy in a portal with claude/);
    expect(() => openPortal(db, T0, "codex", "codex")).toThrow(/yourself/);
  });
});
