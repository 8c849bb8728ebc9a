import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NEXT_TODO, NEXT_UNBLOCKING } from "../../src/room/tasks";

/** Planned by the SQLite build workerd runs, in a room migrated by its constructor. */
function planOf(sql: string, ...params: number[]): Promise<string[]> {
  return runInDurableObject(env.ROOM.getByName("tasks-plan"), (_i, state) =>
    state.storage.sql
      .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
      .toArray()
      .map((r) => r.detail),
  );
}

async function tableReads(sql: string, ...params: number[]): Promise<string[]> {
  const plan = await planOf(sql, ...params);
  const reads = plan.filter((d) => /^(SEARCH|SCAN) tasks\b/.test(d));
  expect(reads.length, plan.join("\n")).toBeGreaterThan(0);
  return reads;
}

describe("the next-task queries in the room's own SQLite", () => {
  const T0 = Date.UTC(2026, 10, 1);

  it("seeks each priority's oldest ready task on the ready index without reading every todo task", async () => {
    const reads = await tableReads(NEXT_TODO, T0);
    // The two priority ranges the tools never write may use the board index.
    expect(reads.filter((d) => /tasks_ready \(priority=\?\)/.test(d))).toHaveLength(5);
    for (const d of reads)
      expect(d).toMatch(/INTEGER PRIMARY KEY|tasks_ready \(priority=\?\)|tasks_board \(archived_at=\? AND state=\? AND priority[<>]\?\)/);
  });

  it("reads the tasks that unblock work from their own partial index, in its order", async () => {
    for (const d of await tableReads(NEXT_UNBLOCKING, T0, 0, 3)) expect(d).toMatch(/tasks_unblocking/);
    // The walk stops at the first match instead of sorting every candidate.
    expect(await planOf(NEXT_UNBLOCKING, T0, 0, 3)).not.toContainEqual(expect.stringContaining("TEMP B-TREE"));
  });
});
