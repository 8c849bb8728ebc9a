import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { eventsAfter, lastSeq } from "../../src/room/events";
import type { Db } from "../../src/room/sql";
import { chainOf, linkBlockers, linksOf, unlinkBlockers } from "../../src/room/task-deps";
import { addTask, claimNext, getTask, transition } from "../../src/room/tasks";
import { mascError as error } from "../helpers/errors";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

const snapshot = (db: Db) => ({
  deps: db.all("SELECT * FROM task_deps ORDER BY task_id, blocker_id"),
  counts: db.all("SELECT id, open_blockers, unblocks FROM tasks ORDER BY num"),
});

describe("task dependencies", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "claude");
    join(db, T0, "gemini");
  });

  it("refuses to claim a blocked task, naming its open blockers, and frees it when they finish", () => {
    addTask(db, T0, { title: "api" });
    addTask(db, T0, { title: "schema" });
    addTask(db, T0, { title: "ui", blocked_by: ["task-001", "task-002"] });
    const refused = error(() => transition(db, T0, "claude", "task-003", "claim"));
    expect(refused.code).toBe("task_blocked");
    expect(refused.message).toContain("task-001, task-002");
    transition(db, T0, "gemini", "task-001", "claim");
    transition(db, T0, "gemini", "task-001", "done");
    expect(error(() => transition(db, T0, "claude", "task-003", "claim")).data.blocked_by).toEqual(["task-002"]);
    transition(db, T0, "gemini", "task-002", "cancel");
    expect(transition(db, T0, "claude", "task-003", "claim").assignee).toBe("claude");
  });

  it("refuses a cycle naming its path, a task naming itself and an unknown id, changing nothing", () => {
    addTask(db, T0, { title: "a" });
    addTask(db, T0, { title: "b", blocked_by: ["task-001"] });
    addTask(db, T0, { title: "c", blocked_by: ["task-002"] });
    const before = snapshot(db);
    const cycle = error(() => db.tx(() => linkBlockers(db, "task-001", ["task-003"])));
    expect(cycle.code).toBe("dependency_cycle");
    expect(cycle.data.path).toEqual(["task-001", "task-003", "task-002", "task-001"]);
    expect(cycle.message).toContain("task-001 → task-003 → task-002 → task-001");
    const self = error(() => db.tx(() => linkBlockers(db, "task-002", ["task-002"])));
    expect(self.code).toBe("dependency_cycle");
    expect(self.data.path).toEqual(["task-002", "task-002"]);
    // A good link before the bad one is rolled back with it.
    const unknown = error(() => db.tx(() => linkBlockers(db, "task-003", ["task-001", "task-404"])));
    expect(unknown.code).toBe("task_not_found");
    expect(unknown.message).toContain("task-404");
    expect(snapshot(db)).toEqual(before);
  });

  it("counts the open work each task unblocks, transitively and through open tasks only", () => {
    addTask(db, T0, { title: "root" });
    addTask(db, T0, { title: "mid", blocked_by: ["task-001"] });
    addTask(db, T0, { title: "leaf", blocked_by: ["task-002"] });
    addTask(db, T0, { title: "side", blocked_by: ["task-001"] });
    const unblocks = () => db.all<{ id: string; unblocks: number }>("SELECT id, unblocks FROM tasks ORDER BY num").map((r) => r.unblocks);
    expect(unblocks()).toEqual([3, 1, 0, 0]);
    transition(db, T0, "claude", "task-001", "claim");
    transition(db, T0, "claude", "task-001", "done");
    expect(unblocks()).toEqual([0, 1, 0, 0]);
    unlinkBlockers(db, "task-003", ["task-002"]);
    expect(unblocks()).toEqual([0, 0, 0, 0]);
    expect(getTask(db, "task-003")?.open_blockers).toBe(0);
  });

  it("announces dependents that wait for nothing more, mentioning their assignees", () => {
    addTask(db, T0, { title: "api" });
    addTask(db, T0, { title: "ui" });
    addTask(db, T0, { title: "docs", blocked_by: ["task-001"] });
    // gemini holds ui already; it learns to wait for api afterwards.
    transition(db, T0, "gemini", "task-002", "claim");
    linkBlockers(db, "task-002", ["task-001"]);
    transition(db, T0, "claude", "task-001", "claim");
    const seq = lastSeq(db);
    transition(db, T0, "claude", "task-001", "done");
    const events = eventsAfter(db, seq).filter((e) => e.kind === "task_unblocked");
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({
      blocker: "task-001",
      unblocked: [
        { task_id: "task-002", assignee: "gemini" },
        { task_id: "task-003", assignee: null },
      ],
      mentions: ["gemini"],
    });
  });

  it("claim_next skips blocked tasks and, at equal priority, takes the one unblocking the most, then the oldest", () => {
    addTask(db, T0, { title: "oldest, unblocks nothing" });
    addTask(db, T0 + 1, { title: "unblocks one" });
    addTask(db, T0 + 2, { title: "unblocks two" });
    addTask(db, T0 + 3, { title: "waits", blocked_by: ["task-002", "task-003"] });
    addTask(db, T0 + 4, { title: "waits too", blocked_by: ["task-003"] });
    addTask(db, T0 + 5, { title: "urgent", priority: 1 });
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("urgent");
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("unblocks two");
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("unblocks one");
    expect(claimNext(db, T0 + 10, "claude")?.title).toBe("oldest, unblocks nothing");
    expect(claimNext(db, T0 + 10, "claude")).toBeNull();
    transition(db, T0 + 20, "claude", "task-003", "done");
    expect(claimNext(db, T0 + 30, "claude")?.title).toBe("waits too");
  });

  it("lets an older task of better aged priority win over one that unblocks more", () => {
    addTask(db, T0, { title: "old", priority: 3 });
    addTask(db, T0 + 2 * DAY, { title: "blocker", priority: 3 });
    addTask(db, T0 + 2 * DAY, { title: "waits", blocked_by: ["task-002"] });
    expect(claimNext(db, T0 + 2 * DAY + 10, "claude")?.title).toBe("old");
  });

  it("picks what a sort of every claimable task by aged priority, work unblocked, age and number would pick", { timeout: 60_000 }, () => {
    let seed = 5;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 150; i++) {
      const blockers = i < 10 ? [] : [...new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => 1 + Math.floor(rnd() * i)))];
      addTask(db, T0 + Math.floor(rnd() * 4 * DAY), {
        title: `t${i}`,
        priority: 1 + Math.floor(rnd() * 3),
        blocked_by: blockers.map((b) => `task-${String(b).padStart(3, "0")}`),
      });
    }
    // The rule itself, over the whole board, with the work each task unblocks walked from the links.
    const links = db.all<{ task_id: string; blocker_id: string }>("SELECT task_id, blocker_id FROM task_deps");
    const expected = (now: number) => {
      const rows = db.all<{ id: string; num: number; priority: number; created_at: number; state: string }>("SELECT * FROM tasks");
      const open = new Set(rows.filter((r) => r.state !== "done" && r.state !== "cancelled").map((r) => r.id));
      const below = (id: string, seen: Set<string>): Set<string> => {
        for (const l of links)
          if (l.blocker_id === id && open.has(l.task_id) && !seen.has(l.task_id)) below(l.task_id, seen.add(l.task_id));
        return seen;
      };
      const aged = (r: (typeof rows)[number]) => Math.max(1, r.priority - Math.trunc((now - r.created_at) / DAY));
      const ready = rows.filter((r) => r.state === "todo" && !links.some((l) => l.task_id === r.id && open.has(l.blocker_id)));
      const key = (r: (typeof rows)[number]) => [aged(r), -below(r.id, new Set()).size, r.created_at, r.num];
      ready.sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return (x[k] ?? 0) - (y[k] ?? 0);
        return 0;
      });
      return ready[0]?.id;
    };
    let claimed = 0;
    for (let step = 0; step < 150; step++) {
      const now = T0 + 4 * DAY + step * 3_600_000;
      const want = expected(now);
      const got = claimNext(db, now, "claude");
      expect(got?.id).toBe(want);
      if (!got) break;
      claimed++;
      // Finish most, cancel some, so later picks see blockers of both kinds ended.
      transition(db, now, "claude", got.id, step % 5 === 0 ? "cancel" : "done");
    }
    expect(claimed).toBe(150);
  });

  it("lists direct links both ways and the whole chain around a task", () => {
    addTask(db, T0, { title: "a" });
    addTask(db, T0, { title: "b", blocked_by: ["task-001"] });
    addTask(db, T0, { title: "c", blocked_by: ["task-002"] });
    addTask(db, T0, { title: "unrelated" });
    expect(linksOf(db, ["task-002"]).get("task-002")).toEqual({ blocked_by: ["task-001"], blocking: ["task-003"] });
    const chain = chainOf(db, "task-002");
    expect(chain.tasks.map((t) => t.id)).toEqual(["task-001", "task-002", "task-003"]);
    expect(chain.links).toEqual([
      { task_id: "task-002", blocker_id: "task-001" },
      { task_id: "task-003", blocker_id: "task-002" },
    ]);
  });
});
