import { describe, expect, it } from "vitest";
import { type PaceClock, PublishPace } from "../../src/room-host/publish-pace";

/** A clock turned by hand: timers fire only when `advance` passes them. */
function handClock() {
  let t = 1_000_000;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const clock: PaceClock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (id) => timers.delete(id as number),
  };
  const advance = (ms: number) => {
    t += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at <= t) {
        timers.delete(id);
        timer.fn();
      }
    }
  };
  return { clock, advance, timers: () => timers.size };
}

function paced(withinMs = 100) {
  const h = handClock();
  let published = 0;
  const pace = new PublishPace(
    async () => {
      published++;
    },
    withinMs,
    h.clock,
  );
  return { pace, ...h, published: () => published };
}

describe("when a room publishes", () => {
  it("publishes at once while it serves one request at a time", async () => {
    const { pace, published, timers } = paced();
    for (let i = 0; i < 3; i++) {
      pace.enter();
      await pace.request();
      pace.leave();
    }
    expect(published()).toBe(3);
    expect(timers()).toBe(0);
  });

  it("leaves it to the last request in flight when several are, and publishes once for all", async () => {
    const { pace, published } = paced();
    pace.enter();
    pace.enter();
    pace.enter();
    const a = pace.request();
    pace.leave();
    const b = pace.request();
    pace.leave();
    expect(published()).toBe(0);
    expect(pace.pending).toBeDefined();
    pace.leave();
    await Promise.all([a, b]);
    expect(published()).toBe(1);
    expect(pace.pending).toBeUndefined();
  });

  it("publishes by the timer when the room never catches up, and then keeps that pace while busy", async () => {
    const { pace, published, advance } = paced(100);
    pace.enter();
    pace.enter();
    const first = pace.request();
    advance(99);
    expect(published()).toBe(0);
    advance(1);
    await first;
    expect(published()).toBe(1);
    // Busy since: even a lone request waits until 100 ms after the last publication.
    pace.leave();
    pace.leave();
    pace.enter();
    const second = pace.request();
    pace.leave();
    advance(50);
    expect(published()).toBe(1);
    advance(50);
    await second;
    expect(published()).toBe(2);
    // Quiet again: at once.
    advance(500);
    pace.enter();
    await pace.request();
    pace.leave();
    expect(published()).toBe(3);
  });

  it("says the room is shared only while another request is in it", () => {
    const { pace } = paced();
    expect(pace.shared).toBe(false);
    pace.enter();
    expect(pace.shared).toBe(false);
    pace.enter();
    expect(pace.shared).toBe(true);
    pace.leave();
    expect(pace.shared).toBe(false);
    pace.leave();
    expect(pace.shared).toBe(false);
  });
});
