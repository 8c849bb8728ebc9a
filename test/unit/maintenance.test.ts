import { describe, expect, it } from "vitest";
import { nextDue, runDueJobs } from "../../src/room/maintenance";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const config = { zombieThresholdMs: 300_000, version: "test" };

describe("replay buffer retention", () => {
  it("arms the alarm for the oldest stored push a day on, and drops only what is a day old", () => {
    const db = memoryDb();
    const store = (ts: number) => db.run("INSERT INTO sse_events (session_id, stream_id, message, ts) VALUES ('s', 'g', '{}', ?)", ts);
    expect(nextDue(db, T0, config)).toBeNull();
    store(T0);
    store(T0 + HOUR);
    expect(nextDue(db, T0, config)).toBe(T0 + 24 * HOUR);
    expect(runDueJobs(db, T0 + 24 * HOUR, config)).toEqual(["retention"]);
    expect(db.all("SELECT ts FROM sse_events")).toEqual([{ ts: T0 + HOUR }]);
    expect(nextDue(db, T0 + 24 * HOUR, config)).toBe(T0 + 25 * HOUR);
  });
});
