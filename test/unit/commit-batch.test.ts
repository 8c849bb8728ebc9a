import { describe, expect, it } from "vitest";
import { CommitBatch } from "../../src/room-host/commit-batch";

/** A hand-driven macrotask queue. */
function laterQueue() {
  const queued: Array<() => void> = [];
  return { later: (run: () => void) => void queued.push(run), queued, fire: () => queued.shift()?.() };
}

describe("commit batch", () => {
  it("runs every write that asked before the next turn in that turn, and arms one turn for them", async () => {
    const q = laterQueue();
    const batch = new CommitBatch(() => true, q.later);
    const ran: string[] = [];
    const calls = ["a", "b", "c"].map((name) => batch.turn().then(() => ran.push(name)));
    expect(q.queued).toHaveLength(1);
    await Promise.resolve();
    expect(ran).toEqual([]);
    q.fire();
    await Promise.all(calls);
    expect(ran).toEqual(["a", "b", "c"]);
  });

  it("arms a new turn for a write that asks after one ran", async () => {
    const q = laterQueue();
    const batch = new CommitBatch(() => true, q.later);
    const first = batch.turn();
    q.fire();
    await first;
    let second = false;
    const next = batch.turn().then(() => {
      second = true;
    });
    expect(q.queued).toHaveLength(1);
    await Promise.resolve();
    expect(second).toBe(false);
    q.fire();
    await next;
    expect(second).toBe(true);
  });

  it("waits for a real macrotask by default, so callers in the same task share it", async () => {
    const batch = new CommitBatch(() => true);
    const order: string[] = [];
    const all = Promise.all([batch.turn().then(() => order.push("w1")), batch.turn().then(() => order.push("w2"))]);
    await Promise.resolve().then(() => order.push("microtask"));
    await all;
    expect(order).toEqual(["microtask", "w1", "w2"]);
  });

  it("runs a write alone in the room at once, arming no turn", async () => {
    const q = laterQueue();
    const batch = new CommitBatch(() => false, q.later);
    let ran = false;
    const write = batch.turn().then(() => {
      ran = true;
    });
    expect(q.queued).toHaveLength(0);
    await write;
    expect(ran).toBe(true);
  });

  it("still waits for the turn already armed when the others have left meanwhile", async () => {
    const q = laterQueue();
    let others = true;
    const batch = new CommitBatch(() => others, q.later);
    const ran: string[] = [];
    const first = batch.turn().then(() => ran.push("first"));
    others = false;
    const second = batch.turn().then(() => ran.push("second"));
    expect(q.queued).toHaveLength(1);
    await Promise.resolve();
    expect(ran).toEqual([]);
    q.fire();
    await Promise.all([first, second]);
    expect(ran).toEqual(["first", "second"]);
  });
});
