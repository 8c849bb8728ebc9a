import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

/** A room's state as kill -9 left it on disk. */
export interface DiskEvent {
  seq: number;
  kind: string;
  actor: string | null;
  target: string | null;
  body: string | null;
  mentions: string[];
}

export interface DiskState {
  events: DiskEvent[];
  tasks: Map<string, { title: string; state: string; assignee: string | null }>;
  /** Every lock row: its fencing token, and its holder while unexpired. */
  locks: Map<string, { holder: string | null; token: number }>;
}

/** The room's SQLite file under `wrangler dev --persist-to`: the Room class's one object file named for `room`. */
function roomFile(persistDir: string, room: string): string {
  const dir = join(persistDir, "v3/do/masc-Room");
  for (const name of readdirSync(dir)) {
    if (!/^[0-9a-f]{64}\.sqlite$/.test(name)) continue;
    const db = new DatabaseSync(join(dir, name), { readOnly: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'room_name'").get() as { value: string } | undefined;
      if (row?.value === room) return join(dir, name);
    } finally {
      db.close();
    }
  }
  throw new Error(`no SQLite file of room '${room}' under ${dir}`);
}

/** Reads the room while its server is down; read-only, so the next start finds the files as they were. */
export function readDisk(persistDir: string, room: string, now = Date.now()): DiskState {
  const db = new DatabaseSync(roomFile(persistDir, room), { readOnly: true });
  try {
    const events = (
      db.prepare("SELECT seq, kind, actor, target, body, data FROM events ORDER BY seq").all() as Array<
        Omit<DiskEvent, "mentions"> & { data: string }
      >
    ).map(({ data, ...e }) => {
      const mentions = (JSON.parse(data) as { mentions?: unknown }).mentions;
      return { ...e, mentions: Array.isArray(mentions) ? mentions.filter((m): m is string => typeof m === "string") : [] };
    });
    const tasks = new Map<string, { title: string; state: string; assignee: string | null }>();
    for (const t of db.prepare("SELECT id, title, state, assignee FROM tasks").all() as Array<{
      id: string;
      title: string;
      state: string;
      assignee: string | null;
    }>)
      tasks.set(t.id, { title: t.title, state: t.state, assignee: t.assignee });
    const locks = new Map<string, { holder: string | null; token: number }>();
    const rows = db.prepare("SELECT path, CASE WHEN expires_at > ? THEN holder END AS holder, token FROM locks").all(now);
    for (const l of rows as Array<{ path: string; holder: string | null; token: number }>)
      locks.set(l.path, { holder: l.holder, token: l.token });
    return { events, tasks, locks };
  } finally {
    db.close();
  }
}
