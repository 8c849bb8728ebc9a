import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkDisk, meantFor, missingAndDoubled } from "../../soak/checks.ts";
import type { DiskEvent, DiskState } from "../../soak/disk.ts";
import { Ledger } from "../../soak/ledger.ts";
import { isFor } from "../../src/room/push";

const ev = (seq: number, over: Partial<DiskEvent> = {}): DiskEvent => ({
  seq,
  kind: "broadcast",
  actor: "soak-0",
  target: "@all",
  body: `m${seq}`,
  mentions: ["@all"],
  ...over,
});

function disk(events: DiskEvent[], over: Partial<DiskState> = {}): DiskState {
  return { events, tasks: new Map(), locks: new Map(), ...over };
}

/** A ledger that acknowledged broadcasts 1..n as `ev` makes them. */
function acked(n: number): Ledger {
  const l = new Ledger();
  for (let seq = 1; seq <= n; seq++) l.message(seq, { kind: "broadcast", actor: "soak-0", body: `m${seq}` });
  return l;
}

describe("the soak's checks", () => {
  it("restate the room's push rule exactly", () => {
    const name = fc.constantFrom("soak-1", "soak-2", "claude-1", "claude_2", "gemini");
    const mention = fc.oneof(name, fc.constantFrom("@all", "@@soak", "@@claude", "@@gemini"));
    fc.assert(
      fc.property(
        fc.option(mention, { nil: null }),
        fc.array(mention, { maxLength: 3 }),
        fc.option(name, { nil: null }),
        (target, mentions, agent) => {
          const e = { seq: 1, ts: 0, kind: "broadcast", actor: "x", target, body: null, data: { mentions } };
          expect(meantFor({ target, mentions }, agent)).toBe(isFor(e, agent));
        },
      ),
    );
  });

  it("pass a disk that holds every acknowledged write", () => {
    const ledger = acked(3);
    ledger.task("task-001", "t1");
    ledger.claimed("task-001", "soak-1");
    ledger.done("task-001", "soak-1", "done");
    ledger.granted("soak/a.ts", "soak-1", 1);
    const state = disk([ev(1), ev(2), ev(3)], {
      tasks: new Map([["task-001", { title: "t1", state: "done", assignee: "soak-1" }]]),
      locks: new Map([["soak/a.ts", { holder: "soak-1", token: 1 }]]),
    });
    expect(checkDisk(ledger, state, 2)).toEqual({ findings: [], found: 6, acked: 6, lastSeq: 3 });
  });

  it("find a lost or changed acknowledged message, a seq gap and a seq that went back", () => {
    const report = checkDisk(acked(4), disk([ev(1), ev(2, { body: "other" }), ev(4)]), 9);
    expect(report.findings).toEqual([
      "seq jumps from 2 to 4",
      "last seq went back from 9 to 4",
      "acknowledged broadcast seq 2 from soak-0 is now broadcast 'other'",
      "acknowledged broadcast seq 3 from soak-0 is missing",
    ]);
    expect(report.found).toBe(2);
  });

  it("find a lost task, a claim the disk gives to someone else, and a done that did not stick", () => {
    const ledger = new Ledger();
    ledger.task("task-001", "t1");
    ledger.claimed("task-002", "soak-1");
    ledger.done("task-003", "soak-2", "done");
    // In flight at the kill: claimed or done.
    ledger.done("task-004", "soak-2", "sent");
    const tasks = new Map([
      ["task-002", { title: "x", state: "claimed", assignee: "soak-9" }],
      ["task-003", { title: "x", state: "claimed", assignee: "soak-2" }],
      ["task-004", { title: "x", state: "claimed", assignee: "soak-2" }],
    ]);
    expect(checkDisk(ledger, disk([], { tasks }), 0).findings).toEqual([
      "acknowledged task task-001 't1' is missing",
      "task task-002: acknowledged claimed by soak-1, disk has claimed by soak-9",
      "task task-003: acknowledged done by soak-2, disk has claimed by soak-2",
    ]);
  });

  it("find a second owner of a task or of a lock grant as soon as it is acknowledged", () => {
    const ledger = new Ledger();
    ledger.claimed("task-001", "soak-1");
    ledger.claimed("task-001", "soak-2");
    ledger.granted("soak/a.ts", "soak-1", 4);
    ledger.granted("soak/a.ts", "soak-1", 4);
    ledger.granted("soak/a.ts", "soak-3", 4);
    expect(ledger.findings).toEqual([
      "task task-001 claimed by soak-2 after it was acknowledged to soak-1",
      "lock soak/a.ts token 4 granted to both soak-1 and soak-3",
    ]);
  });

  it("judge a lock by its fencing token, whatever order the answers came in", () => {
    const ledger = new Ledger();
    ledger.granted("a", "soak-2", 2);
    ledger.released("a", 1);
    ledger.granted("a", "soak-1", 1);
    ledger.granted("b", "soak-1", 5);
    ledger.released("b", 5);
    ledger.granted("c", "soak-1", 3);
    ledger.granted("d", "soak-1", 1);
    ledger.granted("e", "soak-1", 1);
    ledger.lockSent("e", "soak-2", "lock");
    ledger.granted("f", "soak-1", 1);
    ledger.lockSent("f", "soak-2", "lock");
    ledger.lockAnswered("f", "soak-2", "lock");
    const locks = new Map([
      ["a", { holder: "soak-2", token: 2 }],
      ["b", { holder: "soak-1", token: 5 }],
      ["c", { holder: "soak-1", token: 2 }],
      ["d", { holder: "soak-4", token: 2 }],
      ["e", { holder: "soak-2", token: 2 }],
      ["f", { holder: "soak-2", token: 2 }],
    ]);
    expect(checkDisk(ledger, disk([], { locks }), 0).findings).toEqual([
      "lock b: grant 5 acknowledged to soak-1 and released, disk has soak-1",
      "lock c: acknowledged grant 3 to soak-1 is gone (disk has token 2)",
      "lock d: disk has grant 2 to soak-4 that no call could have made (last acknowledged 1)",
      "lock f: disk has grant 2 to soak-2 that no call could have made (last acknowledged 1)",
    ]);
  });

  it("let an unlock in flight at the kill have released the lock, and nothing else", () => {
    const ledger = new Ledger();
    ledger.granted("a", "soak-1", 1);
    ledger.lockSent("a", "soak-1", "unlock");
    ledger.granted("b", "soak-1", 1);
    const locks = new Map([
      ["a", { holder: null, token: 1 }],
      ["b", { holder: null, token: 1 }],
    ]);
    expect(checkDisk(ledger, disk([], { locks }), 0).findings).toEqual(["lock b: grant 1 acknowledged to soak-1, disk has nobody"]);
  });

  it("count for a listener only the events meant for it from its first seq, and every one it got twice", () => {
    const events = [
      ev(1),
      ev(2, { target: "soak-1", mentions: ["soak-1"] }),
      ev(3, { target: "soak-2", mentions: ["soak-2"] }),
      ev(4),
      ev(5),
    ];
    const got = new Map([
      [2, 1],
      [4, 2],
    ]);
    expect(missingAndDoubled(got, events, "soak-1", 2, 4)).toEqual({ missing: [], doubled: [4] });
    expect(missingAndDoubled(got, events, "soak-1", 1, 5)).toEqual({ missing: [1, 5], doubled: [4] });
    expect(missingAndDoubled(new Map([[4, 1]]), events, null, 2, 4)).toEqual({ missing: [], doubled: [] });
    expect(missingAndDoubled(new Map(), events, "soak-2", 1, 3)).toEqual({ missing: [1, 3], doubled: [] });
  });
});
