import { describe, expect, it } from "vitest";
import { chartSeries } from "../../src/dashboard/charts";
import { isDestructive } from "../../src/dashboard/destructive";
import { timelineQuery } from "../../src/dashboard/timeline";
import { listRooms, migrateDirectory, upsertRoom } from "../../src/directory/entries";
import { directorySeries, mergeExpositions } from "../../src/http/metrics-merge";
import { firstSeqAt } from "../../src/room/events";
import { migrate } from "../../src/room/schema";
import { memoryDb } from "../helpers/node-db";

describe("destructive actions", () => {
  it("flags force pushes, recursive deletes and SQL that drops or deletes, and leaves ordinary commands alone", () => {
    for (const a of [
      "git push --force origin main",
      "git push -f origin main",
      "rm -rf /tmp/build",
      "rm -fr node_modules",
      "DROP TABLE users",
      "delete from sessions where 1=1",
      "git reset --hard HEAD~3",
      "TRUNCATE events",
      "git branch -D feature",
    ])
      expect(isDestructive(a), a).toBe(true);
    for (const a of [
      "git push origin main",
      "npm test -- --repeat 200",
      "rm build.log",
      "SELECT * FROM users",
      "git commit -m 'drop the old flag'",
    ])
      expect(isDestructive(a), a).toBe(false);
  });
});

describe("chart series", () => {
  it("counts events per minute and sums cost into a running total, with empty buckets as zero", () => {
    const db = memoryDb();
    migrate(db);
    const now = Date.UTC(2026, 10, 30, 12, 0, 30);
    const at = (minAgo: number) => now - minAgo * 60_000;
    for (const t of [at(90), at(5), at(0.3), at(0.2)])
      db.run("INSERT INTO events (ts, kind, actor, target, body, data) VALUES (?, 'x', NULL, NULL, NULL, '{}')", t);
    for (const [t, c] of [
      [at(200), 1],
      [at(30), 0.25],
      [at(1), 0.5],
    ] as const)
      db.run(
        "INSERT INTO costs (ts, agent, model, input_tokens, output_tokens, cost_usd, task_id) VALUES (?, 'a', NULL, 0, 0, ?, NULL)",
        t,
        c,
      );
    const s = chartSeries(db, now, 1);
    expect(s.events_per_minute.values).toHaveLength(61);
    expect(s.events_per_minute.values.at(-1)).toBe(2);
    expect(s.events_per_minute.values.reduce((a, b) => a + b, 0)).toBe(3);
    expect(s.cost.cumulative[0]).toBe(1);
    expect(s.cost.cumulative.at(-1)).toBe(1.75);
    // The window starts at the first event inside it, found without scanning the log.
    expect(firstSeqAt(db, at(60))).toBe(2);
    expect(firstSeqAt(db, now + 1)).toBe(5);
    expect(firstSeqAt(db, 0)).toBe(1);
  });
});

describe("timeline query", () => {
  it("names the field that is wrong", () => {
    expect(timelineQuery(new URLSearchParams("before=12&agent=codex&kind=lock_acquired&limit=5"))).toEqual({
      before: 12,
      agent: "codex",
      kind: "lock_acquired",
      limit: 5,
      kinds: false,
    });
    expect(timelineQuery(new URLSearchParams("before=-1"))).toEqual({ error: "before must be a seq (a whole number)" });
    expect(timelineQuery(new URLSearchParams("agent=a b"))).toMatchObject({ error: expect.stringContaining("agent") });
    expect(timelineQuery(new URLSearchParams("kind=DROP TABLE"))).toMatchObject({ error: expect.stringContaining("kind") });
    expect(timelineQuery(new URLSearchParams("limit=1000"))).toMatchObject({ error: "limit must be 1-200" });
  });
});

describe("room directory", () => {
  const report = (name: string, last: number, auth = false) => ({
    name,
    last_activity: last,
    tasks_open: 1,
    tasks_total: 2,
    agents_active: 3,
    pending_approvals: 0,
    events: 9,
    auth,
  });

  it("keeps one entry per room, most recent first, and leaves rooms with auth out of the open listing", () => {
    const db = memoryDb();
    migrateDirectory(db);
    upsertRoom(db, 1_000, report("alpha", 500));
    upsertRoom(db, 2_000, report("beta", 1_500, true));
    upsertRoom(db, 3_000, { ...report("alpha", 2_500), tasks_open: 7 });
    const all = listRooms(db, { limit: 10, openOnly: false });
    expect(all.total).toBe(2);
    expect(all.rooms.map((r) => [r.name, r.tasks_open])).toEqual([
      ["alpha", 7],
      ["beta", 1],
    ]);
    expect(all.rooms[0]?.first_seen).toBe(new Date(1_000).toISOString());
    expect(listRooms(db, { limit: 10, openOnly: true }).rooms.map((r) => r.name)).toEqual(["alpha"]);
  });

  it("merges rooms' Prometheus text into one family each, and says how many rooms a scrape left out", () => {
    const room = (r: string, n: number) =>
      `# HELP masc_tasks Tasks.\n# TYPE masc_tasks gauge\nmasc_tasks{room="${r}",state="todo"} ${n}\n# HELP masc_agents Agents.\n# TYPE masc_agents gauge\nmasc_agents{room="${r}"} 1\n`;
    const merged = mergeExpositions([room("a", 1), room("b", 2)]);
    expect(merged.split("\n").filter((l) => l.startsWith("# HELP masc_tasks"))).toHaveLength(1);
    const lines = merged.trim().split("\n");
    expect(lines.indexOf('masc_tasks{room="b",state="todo"} 2')).toBe(lines.indexOf('masc_tasks{room="a",state="todo"} 1') + 1);
    const dir = directorySeries(
      [{ name: 'we"ird', tasks_open: 1, agents_active: 2, events: 3, last_activity: new Date(5_000).toISOString() }],
      10_000,
      40,
    );
    expect(dir).toContain("masc_metrics_rooms_omitted 9960");
    expect(dir).toContain('masc_room_open_tasks{room="we_ird"} 1');
  });
});
