import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { MascError } from "../../src/room/errors";
import { parseMentions } from "../../src/room/mentions";
import { broadcast, receiptsFor, unreadFor } from "../../src/room/messages";
import { openPortal, sendPortal } from "../../src/room/portals";
import type { Db } from "../../src/room/sql";
import { threadPage } from "../../src/room/threads";
import { SEES_ALL } from "../../src/room/visibility";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const say = (db: Db, from: string, text: string, replyTo?: number) => broadcast(db, T0, from, text, parseMentions(text), replyTo);

describe("threads", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    for (const a of ["ann", "bob", "cy"]) join(db, T0, a);
  });

  it("links replies to their root, also a reply to a reply, and returns the thread in order", () => {
    const root = say(db, "ann", "invoice module: keep cents as integers?");
    say(db, "cy", "unrelated");
    const r1 = say(db, "bob", "yes", root.seq);
    const r2 = say(db, "ann", "@cy agree?", r1.seq);
    expect([r1.thread, r2.thread]).toEqual([root.seq, root.seq]);
    const page = threadPage(db, r2.seq, 0, 10, SEES_ALL);
    expect(page.thread).toBe(root.seq);
    expect(page.events.map((e) => [e.seq, e.data.reply_to ?? null])).toEqual([
      [root.seq, null],
      [r1.seq, root.seq],
      [r2.seq, r1.seq],
    ]);
    expect(Object.keys(page.events[0] ?? {})).not.toContain("thread");
    const first = threadPage(db, root.seq, 0, 2, SEES_ALL);
    expect(first).toMatchObject({ has_more: true, next_seq: r1.seq });
    expect(threadPage(db, root.seq, first.next_seq, 2, SEES_ALL).events.map((e) => e.seq)).toEqual([r2.seq]);
  });

  it("pushes mentions in a reply and keeps receipts per message", () => {
    const root = say(db, "ann", "question");
    const reply = say(db, "bob", "@cy see this", root.seq);
    expect(reply.target).toBe("cy");
    expect(unreadFor(db, "cy")).toEqual({ count: 2, mentions: 1 });
    const receipts = receiptsFor(db, threadPage(db, root.seq, 0, 10, SEES_ALL).events);
    expect(receipts.get(reply.seq)?.read_by).toEqual([]);
  });

  it("refuses a reply to something that is not a broadcast, storing nothing", () => {
    openPortal(db, T0, "ann", "bob");
    const dm = sendPortal(db, T0, "ann", "secret");
    const before = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM events")?.n;
    for (const target of [dm.seq, 9999]) {
      let err: unknown;
      try {
        db.tx(() => say(db, "bob", "re", target));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MascError);
      expect((err as MascError).message).toMatch(/^reply_to \d+ is not a broadcast/);
    }
    expect(db.one<{ n: number }>("SELECT COUNT(*) AS n FROM events")?.n).toBe(before);
  });
});
