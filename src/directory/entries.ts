import type { RoomReport } from "../room/report";
import type { Db } from "../room/sql";

export interface RoomEntry extends Omit<RoomReport, "last_activity" | "auth"> {
  first_seen: string;
  last_activity: string;
  reported_at: string;
  auth: boolean;
}

/** Far more rooms than a page shows or a scrape fans out to; past it the oldest are left out. */
export const MAX_LISTED = 10_000;

export function migrateDirectory(db: Db): void {
  db.run(`CREATE TABLE IF NOT EXISTS rooms (
    name TEXT PRIMARY KEY, first_seen INTEGER NOT NULL, last_activity INTEGER NOT NULL, reported_at INTEGER NOT NULL,
    tasks_open INTEGER NOT NULL, tasks_total INTEGER NOT NULL, agents_active INTEGER NOT NULL,
    pending_approvals INTEGER NOT NULL, events INTEGER NOT NULL, auth INTEGER NOT NULL)`);
  db.run("CREATE INDEX IF NOT EXISTS rooms_activity ON rooms (last_activity)");
}

export function upsertRoom(db: Db, now: number, r: RoomReport): void {
  db.run(
    `INSERT INTO rooms (name, first_seen, last_activity, reported_at, tasks_open, tasks_total, agents_active, pending_approvals, events, auth)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET last_activity = MAX(rooms.last_activity, excluded.last_activity), reported_at = excluded.reported_at,
       tasks_open = excluded.tasks_open, tasks_total = excluded.tasks_total, agents_active = excluded.agents_active,
       pending_approvals = excluded.pending_approvals, events = excluded.events, auth = excluded.auth`,
    r.name,
    now,
    r.last_activity,
    now,
    r.tasks_open,
    r.tasks_total,
    r.agents_active,
    r.pending_approvals,
    r.events,
    r.auth ? 1 : 0,
  );
}

type Row = Omit<RoomEntry, "first_seen" | "last_activity" | "reported_at" | "auth"> & {
  first_seen: number;
  last_activity: number;
  reported_at: number;
  auth: number;
};

/** Rooms, most recently active first; `openOnly` leaves out rooms with auth on. */
export function listRooms(db: Db, opts: { limit: number; openOnly: boolean }): { rooms: RoomEntry[]; total: number } {
  const where = opts.openOnly ? "WHERE auth = 0" : "";
  const rows = db.all<Row>(`SELECT * FROM rooms ${where} ORDER BY last_activity DESC, name LIMIT ?`, Math.min(opts.limit, MAX_LISTED));
  const total = db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM rooms ${where}`)?.n ?? 0;
  const iso = (t: number) => new Date(t).toISOString();
  return {
    total,
    rooms: rows.map((r) => ({
      ...r,
      first_seen: iso(r.first_seen),
      last_activity: iso(r.last_activity),
      reported_at: iso(r.reported_at),
      auth: r.auth === 1,
    })),
  };
}
