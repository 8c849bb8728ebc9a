import { fail } from "../room/errors";
import { touchUnread } from "../room/events";
import { getMeta, setMeta } from "../room/meta";
import { indexPending } from "../room/search";
import type { Db } from "../room/sql";

/** How big a room the benchmark grows; capped so a mistyped number cannot fill the disk. */
export interface SeedSize {
  tasks: number;
  events: number;
  agents: number;
}

const CAP: SeedSize = { tasks: 50_000, events: 500_000, agents: 1_000 };
const DAY_MS = 86_400_000;

function count(raw: unknown, field: keyof SeedSize): number {
  if (raw === undefined) return 0;
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw > CAP[field]) {
    fail("invalid_input", `${field} must be an integer from 0 to ${CAP[field]}`, { field });
  }
  return raw;
}

export function seedSize(body: unknown): SeedSize {
  const b = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !(k in CAP));
  if (unknown.length > 0) fail("invalid_input", `unknown field ${unknown[0]}; allowed: tasks, events, agents`, { field: unknown[0] });
  return { tasks: count(b.tasks, "tasks"), events: count(b.events, "events"), agents: count(b.agents, "agents") };
}

/**
 * Grows a room to the benchmark's size in one transaction of set-based inserts, instead of a
 * hundred thousand tool calls: `seed-NNN` agents, a board that is mostly finished work (1 in 10
 * tasks todo, 1 in 20 claimed by a seed agent), and an event log that is one third broadcasts.
 * Only reachable when the deployment sets MASC_BENCH=1.
 */
export function seedRoom(db: Db, now: number, size: SeedSize): SeedSize {
  // Written straight to the tables: unread counts taken before no longer hold.
  touchUnread(db);
  const agents = Math.max(1, size.agents);
  db.tx(() => {
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO agents (name, agent_type, status, capabilities, joined_at, last_seen)
       SELECT printf('seed-%03d', i), 'seed', 'active', '[]', ?, ? FROM n WHERE ? > 0
       ON CONFLICT (name) DO NOTHING`,
      size.agents,
      now,
      now,
      size.agents,
    );
    const first = Number(getMeta(db, "task_counter") ?? 0);
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO tasks (num, id, title, priority, state, assignee, created_by, created_at, claimed_at, completed_at)
       SELECT ? + i, printf('task-%03d', ? + i), 'seeded task ' || i, 1 + i % 5,
         CASE WHEN i % 10 = 0 THEN 'todo' WHEN i % 20 = 1 THEN 'claimed' ELSE 'done' END,
         CASE WHEN i % 10 = 0 THEN NULL ELSE printf('seed-%03d', 1 + i % ?) END,
         NULL, ? - ? + i, ?, CASE WHEN i % 10 = 0 OR i % 20 = 1 THEN NULL ELSE ? END
       FROM n WHERE ? > 0`,
      size.tasks,
      first,
      first,
      agents,
      now,
      DAY_MS,
      now,
      now,
      size.tasks,
    );
    if (size.tasks > 0) setMeta(db, "task_counter", String(first + size.tasks));
    db.run(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO events (ts, kind, actor, target, body, data)
       SELECT ? - ? + i, CASE i % 3 WHEN 0 THEN 'broadcast' WHEN 1 THEN 'task_done' ELSE 'task_claimed' END,
         printf('seed-%03d', 1 + i % ?), NULL,
         CASE WHEN i % 3 = 0 THEN 'seeded message ' || i ELSE NULL END,
         CASE WHEN i % 3 = 0 THEN '{"mentions":[]}' ELSE json_object('task_id', printf('task-%03d', 1 + i % 1000)) END
       FROM n WHERE ? > 0`,
      size.events,
      now,
      size.events,
      agents,
      size.events,
    );
    // The seeded texts reach FTS5 here, not in the first alarm of the measured run.
    indexPending(db);
  });
  return size;
}
