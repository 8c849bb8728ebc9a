import { describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { leave } from "../../src/room/departures";
import { MascError } from "../../src/room/errors";
import { lastSeq } from "../../src/room/events";
import { collectGarbage } from "../../src/room/gc";
import { pause, pauseState, resume } from "../../src/room/pause";
import { addTask, claimNext, transition } from "../../src/room/tasks";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

describe("pause", () => {
  it("blocks claims while paused and records who paused and why", () => {
    const db = memoryDb();
    join(db, T0, "claude");
    addTask(db, T0, { title: "a" });
    expect(pause(db, T0, "human", "freeze")).toMatchObject({ paused: true, reason: "freeze", paused_by: "human" });
    expect(() => claimNext(db, T0, "claude")).toThrow(MascError);
    expect(() => transition(db, T0, "claude", "task-001", "claim")).toThrow(/room is paused \(freeze\)/);
    resume(db, T0, "human");
    expect(pauseState(db).paused).toBe(false);
    expect(claimNext(db, T0, "claude")?.id).toBe("task-001");
  });
});

describe("gc", () => {
  it("archives old finished tasks, forgets long-gone agents, prunes old events but keeps seq growing", () => {
    const db = memoryDb();
    join(db, T0, "claude");
    join(db, T0, "gone");
    addTask(db, T0, { title: "old" });
    addTask(db, T0, { title: "open" });
    transition(db, T0, "claude", "task-001", "claim");
    transition(db, T0, "claude", "task-001", "done");
    leave(db, T0, "gone");
    const seqBefore = lastSeq(db);
    const report = collectGarbage(db, T0 + 8 * DAY, 7, "claude");
    expect(report).toMatchObject({ archived_tasks: 1, removed_agents: 1 });
    expect(report.pruned_events).toBeGreaterThan(0);
    expect(lastSeq(db)).toBe(seqBefore + 1);
    expect(db.one<{ n: number }>("SELECT COUNT(*) AS n FROM tasks WHERE archived_at IS NULL")?.n).toBe(1);
  });
});
