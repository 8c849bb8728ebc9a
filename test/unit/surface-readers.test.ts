import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { costBefore, costPerBucket, logCost } from "../../src/room/costs";
import { anyEventBefore, appendEvent, eventKinds, eventsBefore, eventsPerBucket, firstEventAt, latestPerTask } from "../../src/room/events";
import { parseMentions } from "../../src/room/mentions";
import { broadcast, broadcastPage } from "../../src/room/messages";
import { decidePermission, pendingPermissions, requestPermission } from "../../src/room/permission-requests";
import { openPortal, sendPortal } from "../../src/room/portals";
import type { Db } from "../../src/room/sql";
import { ANYONE, SEES_ALL, type Viewer } from "../../src/room/visibility";
import { castVote, createVote, votesOpenFirst } from "../../src/room/votes";
import { memoryDb } from "../helpers/node-db";

// The readers GraphQL and the dashboard call instead of their own SQL.

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const MINUTE = 60_000;
const say = (db: Db, from: string, text: string, replyTo?: number) => broadcast(db, T0, from, text, parseMentions(text), replyTo);
const reader = (agent: string): Viewer => ({ all: false, agent, seesMentions: false, seesPaths: false });
const worker = (agent: string): Viewer => ({ all: false, agent, seesMentions: true, seesPaths: true });

describe("broadcastPage", () => {
  let db: Db;
  let seqs: Record<string, number>;
  beforeEach(() => {
    db = memoryDb();
    for (const a of ["ann", "bob", "cy"]) join(db, T0, a);
    openPortal(db, T0, "ann", "bob");
    const root = say(db, "ann", "plan for the release").seq;
    const dm = sendPortal(db, T0, "ann", "private to bob").seq;
    const toBob = say(db, "cy", "@bob can you look?", root).seq;
    const plain = say(db, "bob", "done with the parser").seq;
    const toCy = say(db, "ann", "@cy thanks", toBob).seq;
    seqs = { root, dm, toBob, plain, toCy };
  });
  const seqsOf = (p: { events: { seq: number }[] }) => p.events.map((e) => e.seq);

  it("pages broadcasts only, oldest first, with the total over every page", () => {
    const first = broadcastPage(db, { after: 0, limit: 2, viewer: SEES_ALL });
    expect(seqsOf(first)).toEqual([seqs.root, seqs.toBob]);
    expect(first).toMatchObject({ has_more: true, total: 4 });
    const rest = broadcastPage(db, { after: seqs.toBob ?? 0, limit: 2, viewer: SEES_ALL });
    expect(seqsOf(rest)).toEqual([seqs.plain, seqs.toCy]);
    expect(rest).toMatchObject({ has_more: false, total: 4 });
    // A portal message is never one of them, even for a viewer who sees everything.
    expect(seqsOf(rest)).not.toContain(seqs.dm);
  });

  it("filters by sender, by the agent named first, and by thread (its root and replies)", () => {
    const page = (f: { from?: string; mention?: string; thread?: number }) =>
      broadcastPage(db, { after: 0, limit: 10, viewer: SEES_ALL, ...f });
    expect(seqsOf(page({ from: "ann" }))).toEqual([seqs.root, seqs.toCy]);
    expect(seqsOf(page({ mention: "bob" }))).toEqual([seqs.toBob]);
    expect(seqsOf(page({ thread: seqs.root }))).toEqual([seqs.root, seqs.toBob, seqs.toCy]);
    expect(page({ from: "ann", thread: seqs.root }).total).toBe(2);
    expect(page({ from: "nobody" })).toEqual({ events: [], has_more: false, total: 0 });
  });

  it("keeps mentions of others from readers and anonymous callers, in the page and in the total", () => {
    const all = broadcastPage(db, { after: 0, limit: 10, viewer: ANYONE });
    expect(seqsOf(all)).toEqual([seqs.root, seqs.plain]);
    expect(all.total).toBe(2);
    expect(seqsOf(broadcastPage(db, { after: 0, limit: 10, viewer: reader("bob") }))).toEqual([seqs.root, seqs.toBob, seqs.plain]);
    expect(seqsOf(broadcastPage(db, { after: 0, limit: 10, viewer: worker("bob") }))).toEqual([
      seqs.root,
      seqs.toBob,
      seqs.plain,
      seqs.toCy,
    ]);
  });
});

describe("chart readers", () => {
  it("counts events per bucket from the window's start, zero where nothing happened, nothing before it", () => {
    const db = memoryDb();
    for (const t of [T0 - 5 * MINUTE, T0, T0 + 10, T0 + 2 * MINUTE + 1]) appendEvent(db, t, { kind: "x" });
    expect(eventsPerBucket(db, T0, MINUTE, 4)).toEqual([2, 0, 1, 0]);
    expect(eventsPerBucket(db, T0 + 10 * MINUTE, MINUTE, 2)).toEqual([0, 0]);
  });

  it("sums cost per bucket and before the window", () => {
    const db = memoryDb();
    join(db, T0, "ann");
    for (const [t, c] of [
      [T0 - MINUTE, 1],
      [T0 + 1, 0.25],
      [T0 + 2, 0.5],
      [T0 + 3 * MINUTE, 2],
    ] as const)
      logCost(db, t, { agent: "ann", cost_usd: c });
    expect(costPerBucket(db, T0, 2 * MINUTE, 3)).toEqual([0.75, 2, 0]);
    expect(costBefore(db, T0)).toBe(1);
    expect(costBefore(db, T0 - MINUTE)).toBe(0);
  });
});

describe("timeline readers", () => {
  it("pages events before a seq, newest first, by an agent as actor or target and by kind", () => {
    const db = memoryDb();
    expect(firstEventAt(db)).toBeNull();
    expect(eventKinds(db)).toEqual([]);
    const e1 = appendEvent(db, T0 + 5, { kind: "task_claimed", actor: "ann" });
    const e2 = appendEvent(db, T0 + 6, { kind: "broadcast", actor: "bob", target: "ann" });
    const e3 = appendEvent(db, T0 + 7, { kind: "broadcast", actor: "cy" });
    const e4 = appendEvent(db, T0 + 8, { kind: "task_claimed", actor: "bob" });
    const any = { agent: null, kind: null };
    const seqs = (before: number, f: { agent: string | null; kind: string | null }, limit = 10) =>
      eventsBefore(db, before, f, limit).map((e) => e.seq);
    expect(seqs(Number.MAX_SAFE_INTEGER, any)).toEqual([e4, e3, e2, e1]);
    expect(seqs(e4, any, 2)).toEqual([e3, e2]);
    expect(seqs(Number.MAX_SAFE_INTEGER, { agent: "ann", kind: null })).toEqual([e2, e1]);
    expect(seqs(Number.MAX_SAFE_INTEGER, { agent: "bob", kind: "task_claimed" })).toEqual([e4]);
    expect(anyEventBefore(db, e2, { agent: "ann", kind: null })).toBe(true);
    expect(anyEventBefore(db, e1, any)).toBe(false);
    expect(anyEventBefore(db, e4, { agent: null, kind: "vote_cast" })).toBe(false);
    expect(eventKinds(db)).toEqual(["broadcast", "task_claimed"]);
    expect(firstEventAt(db)).toBe(T0 + 5);
  });
});

describe("overview readers", () => {
  it("gives the newest progress report of each task", () => {
    const db = memoryDb();
    const progress = (t: number, task_id: string, p: number) =>
      appendEvent(db, t, { kind: "progress", actor: "ann", data: { task_id, progress: p } });
    progress(T0, "task-001", 10);
    progress(T0 + 1, "task-002", 5);
    const last = progress(T0 + 2, "task-001", 80);
    appendEvent(db, T0 + 3, { kind: "broadcast", actor: "ann", data: { task_id: "task-001" } });
    const latest = latestPerTask(db, "progress").map((e) => [e.data.task_id, e.data.progress, e.seq]);
    expect(latest.sort()).toEqual([
      ["task-001", 80, last],
      ["task-002", 5, 2],
    ]);
  });

  it("lists only undecided permission requests, newest first", () => {
    const db = memoryDb();
    const ask = (request_id: string, t: number) =>
      requestPermission(db, t, {
        request_id,
        agent: "claude",
        channel: "chan-0001",
        tool_name: "Bash",
        description: "d",
        input_preview: "{}",
        ttl_s: 600,
      });
    ask("aaaaa", T0);
    ask("bbbbb", T0 + 1);
    ask("ccccc", T0 + 2);
    decidePermission(db, T0 + 3, "ccccc", "allow", { agent: null, authenticated: false }, () => true);
    expect(pendingPermissions(db, 10).map((r) => r.request_id)).toEqual(["bbbbb", "aaaaa"]);
    expect(pendingPermissions(db, 1).map((r) => r.request_id)).toEqual(["bbbbb"]);
  });

  it("lists open votes first, then closed ones, newest first", () => {
    const db = memoryDb();
    join(db, T0, "ann");
    const vote = (topic: string) =>
      createVote(db, T0, { proposer: "ann", topic, options: ["yes", "no"], required_votes: 1, deadline: null });
    const a = vote("a");
    const b = vote("b");
    const c = vote("c");
    castVote(db, T0, "ann", c.id, "yes");
    expect(votesOpenFirst(db, 10).map((v) => [v.id, v.status])).toEqual([
      [b.id, "open"],
      [a.id, "open"],
      [c.id, "approved"],
    ]);
  });
});
