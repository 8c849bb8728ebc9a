import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { runDueJobs } from "../../src/room/maintenance";
import { categoryOf, DEFAULT_RATES, hit, limitFor, nextStaleWindow, rateStatus, setRateConfig } from "../../src/room/ratelimit";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);

describe("rate limits", () => {
  it("computes rate × role multiplier + burst", () => {
    expect(limitFor(DEFAULT_RATES, "general", "worker")).toBe(15);
    expect(limitFor(DEFAULT_RATES, "broadcast", "reader")).toBe(12);
    expect(limitFor(DEFAULT_RATES, "task", "admin")).toBe(65);
    expect(categoryOf("masc_claim_next")).toBe("task");
    expect(categoryOf("masc_broadcast")).toBe("broadcast");
    expect(categoryOf("masc_lock")).toBe("general");
  });

  it("lets the room alarm drop counters an hour stale and keep live ones", () => {
    const db = memoryDb();
    hit(db, T0, "session:ab12cd34", "general", "worker");
    hit(db, T0 + 3_000_000, "claude", "task", "worker");
    expect(nextStaleWindow(db)).toBe(T0 + 3_600_000);
    const config = { zombieThresholdMs: 86_400_000, version: "test" };
    expect(runDueJobs(db, T0 + 3_599_999, config)).not.toContain("rate windows");
    expect(runDueJobs(db, T0 + 3_600_000, config)).toContain("rate windows");
    expect(db.all("SELECT agent FROM rate_hits")).toEqual([{ agent: "claude" }]);
  });

  it("refuses past the limit with when to retry, then resets after the window", () => {
    const db = memoryDb();
    for (let i = 0; i < 15; i++) hit(db, T0 + i, "claude", "general", "worker");
    let err: unknown;
    try {
      hit(db, T0 + 20_000, "claude", "general", "worker");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MascError);
    expect((err as MascError).code).toBe("rate_limited");
    expect((err as MascError).message).toContain("retry in 40s");
    hit(db, T0 + 60_000, "claude", "general", "worker");
    expect(rateStatus(db, T0 + 60_001, "claude", "worker").categories[0]).toMatchObject({ category: "general", used: 1, limit: 15 });
    // Other agents and categories have their own budgets.
    hit(db, T0 + 20_000, "gemini", "general", "worker");
    hit(db, T0 + 20_000, "claude", "task", "worker");
  });

  it("follows room settings", () => {
    const db = memoryDb();
    setRateConfig(db, { general: 1, burst: 0 });
    hit(db, T0, "a", "general", "worker");
    expect(() => hit(db, T0 + 1, "a", "general", "worker")).toThrow(/limit 1/);
  });
});
