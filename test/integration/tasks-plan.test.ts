import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NEXT_TODO } from "../../src/room/tasks";

describe("the next-task query in the room's own SQLite", () => {
  it("seeks the next task on the board index without reading every todo task", async () => {
    // Planned by the SQLite build workerd runs, in a room migrated by its constructor.
    const plan = await runInDurableObject(env.ROOM.getByName("tasks-plan"), (_i, state) =>
      state.storage.sql
        .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${NEXT_TODO}`, Date.UTC(2026, 10, 1))
        .toArray()
        .map((r) => r.detail),
    );
    const reads = plan.filter((d) => /^(SEARCH|SCAN) tasks\b/.test(d));
    expect(reads.length, plan.join("\n")).toBeGreaterThan(0);
    // Each read of the tasks table is by number or narrowed by priority within the todo board.
    for (const d of reads) expect(d).toMatch(/INTEGER PRIMARY KEY|tasks_board \(archived_at=\? AND state=\? AND priority[=<>]\?/);
  });
});
