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
    const batch = new CommitBatch(q.later);
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
    const batch = new CommitBatch(q.later);
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
    const batch = new CommitBatch();
    const order: string[] = [];
    const all = Promise.all([batch.turn().then(() => order.push("w1")), batch.turn().then(() => order.push("w2"))]);
    await Promise.resolve().then(() => order.push("microtask"));
    await all;
    expect(order).toEqual(["microtask", "w1", "w2"]);
  });
});
