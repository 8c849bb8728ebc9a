import { describe, expect, it } from "vitest";
import { countByState } from "../../src/room/tasks";
import { seedRoom, seedSize } from "../../src/room-host/bench-seed";
import { memoryDb } from "../helpers/node-db";

describe("the benchmark's grown room", () => {
  it("seeds agents, a mostly finished board and a log, keeping the counts and ids going", () => {
    const db = memoryDb();
    seedRoom(db, Date.UTC(2026, 10, 1), { tasks: 100, events: 300, agents: 5 });
    expect(db.one<{ n: number }>("SELECT COUNT(*) AS n FROM agents")?.n).toBe(5);
    expect(countByState(db)).toEqual({ todo: 10, claimed: 5, in_progress: 0, done: 85, cancelled: 0 });
    expect(db.one<{ n: number }>("SELECT n FROM event_counts WHERE kind = 'broadcast'")?.n).toBe(100);
    // Indexed by the seed itself, so the measured run's first alarm has no backlog to index.
    expect(db.all("SELECT id FROM search_pending")).toEqual([]);
    expect(db.one<{ n: number }>("SELECT COUNT(*) AS n FROM search_index WHERE search_index MATCH 'seeded'")?.n).toBe(200);
    seedRoom(db, Date.UTC(2026, 10, 1), { tasks: 1, events: 0, agents: 0 });
    expect(db.one<{ id: string }>("SELECT id FROM tasks ORDER BY num DESC LIMIT 1")?.id).toBe("task-101");
  });

  it("refuses a size it cannot take, naming the field", () => {
    expect(() => seedSize({ tasks: -1 })).toThrow(/tasks must be an integer from 0 to 50000/);
    expect(() => seedSize({ events: 1e9 })).toThrow(/events must be an integer/);
    expect(() => seedSize({ rows: 1 })).toThrow(/unknown field rows/);
    expect(seedSize({ agents: 3 })).toEqual({ tasks: 0, events: 0, agents: 3 });
  });
});
