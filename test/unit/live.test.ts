import { describe, expect, it } from "vitest";
import type { RoomEvent } from "../../src/room/events";
import { Waiters } from "../../src/room-host/waiters";

const ev = (seq: number, target: string | null = null): RoomEvent => ({
  seq,
  ts: 0,
  kind: "broadcast",
  actor: "x",
  target,
  body: null,
  data: {},
});

describe("listen waiters", () => {
  it("wakes only the waiters whose event arrived", async () => {
    const w = new Waiters();
    const gemini = w.wait("gemini", (e) => e.target === "gemini", 5000, new AbortController().signal);
    const codex = w.wait("codex", (e) => e.target === "codex", 50, new AbortController().signal);
    expect(w.agents()).toEqual(["codex", "gemini"]);
    w.notify([ev(1, "gemini")]);
    expect(await gemini).toBe(true);
    expect(await codex).toBe(false);
    expect(w.agents()).toEqual([]);
  });

  it("gives up on abort, and at once when already aborted or timeout is zero", async () => {
    const w = new Waiters();
    const ctl = new AbortController();
    const pending = w.wait("a", () => true, 60_000, ctl.signal);
    ctl.abort();
    expect(await pending).toBe(false);
    expect(await w.wait("a", () => true, 60_000, ctl.signal)).toBe(false);
    expect(await w.wait("a", () => true, 0, new AbortController().signal)).toBe(false);
    expect(w.agents()).toEqual([]);
  });
});
