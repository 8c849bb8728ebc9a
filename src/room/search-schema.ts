/**
 * The search index's objects (decision 0016): `search_docs` holds each indexed text (a plain
 * table, so it can be overwritten in place), `search_index` is FTS5 over it (external content).
 * Triggers keep `search_docs` in step inside the writing transaction and queue new texts in
 * `search_pending`; FTS5 takes the queue in one batch before a search and from the alarm
 * (decision 0030), since FTS5 writes a new segment per transaction. Nothing is indexed while
 * encryption at rest is on, or while `search_frozen` is set (during a re-seal). Row ids: seq*4 a
 * broadcast, num*4+1 a task, id*4+2 an interrupt. Migrations 44 and 120 create these; turning
 * encryption on drops them all and turning it off creates them again, so change them only with a
 * migration.
 */
const PLAIN = "(SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1'";
const LIVE = "(SELECT value FROM meta WHERE key = 'search_frozen') IS NOT '1'";

interface Source {
  name: string;
  table: string;
  when: (r: string) => string;
  id: (r: string) => string;
  text: (r: string) => string;
  sealed: (r: string) => string;
  kind: string;
  ref: (r: string) => string;
  columns: string;
}

/** Whether an update changed any indexed column (UPDATE OF fires whenever one is merely set). */
const changed = (s: Source) =>
  `(${s.columns
    .split(", ")
    .map((c) => `old.${c} IS NOT new.${c}`)
    .join(" OR ")})`;

const SOURCES: Source[] = [
  {
    name: "event",
    table: "events",
    when: (r) => `${r}.kind = 'broadcast'`,
    id: (r) => `${r}.seq * 4`,
    text: (r) => `${r}.body`,
    sealed: (r) => `${r}.body LIKE 'enc:%'`,
    kind: "message",
    ref: (r) => `${r}.seq`,
    columns: "body",
  },
  {
    name: "task",
    table: "tasks",
    when: () => "1",
    id: (r) => `${r}.num * 4 + 1`,
    text: (r) => `${r}.title || ' ' || ${r}.description || ' ' || coalesce(${r}.notes, '')`,
    sealed: (r) => `${r}.title LIKE 'enc:%'`,
    kind: "task",
    ref: (r) => `${r}.id`,
    columns: "title, description, notes",
  },
  {
    name: "interrupt",
    table: "checkpoints",
    when: () => "1",
    id: (r) => `${r}.id * 4 + 2`,
    text: (r) => `${r}.message`,
    sealed: (r) => `${r}.message LIKE 'enc:%'`,
    kind: "interrupt",
    ref: (r) => `${r}.id`,
    columns: "message",
  },
];

// A text still queued never reached FTS5, so only an indexed one is deleted from it.
const unindex = (s: Source, r: string) =>
  `INSERT INTO search_index (search_index, rowid, text, kind, ref) SELECT 'delete', id, text, kind, ref FROM search_docs
     WHERE id = ${s.id(r)} AND NOT EXISTS (SELECT 1 FROM search_pending WHERE id = ${s.id(r)});
   DELETE FROM search_pending WHERE id = ${s.id(r)};
   DELETE FROM search_docs WHERE id = ${s.id(r)}`;

const index = (s: Source, r: string) =>
  `INSERT INTO search_docs (id, text, kind, ref) SELECT ${s.id(r)}, ${s.text(r)}, '${s.kind}', ${s.ref(r)} WHERE NOT (${s.sealed(r)}) AND ${PLAIN};
   INSERT INTO search_pending (id) SELECT id FROM search_docs WHERE id = ${s.id(r)}`;

export const SEARCH_TABLE =
  "CREATE VIRTUAL TABLE search_index USING fts5(text, kind UNINDEXED, ref UNINDEXED, content = 'search_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')";

const TRIGGERS = SOURCES.flatMap((s) => [
  `CREATE TRIGGER search_${s.name}_ins AFTER INSERT ON ${s.table} WHEN ${s.when("new")} AND ${LIVE} BEGIN ${index(s, "new")}; END`,
  `CREATE TRIGGER search_${s.name}_del AFTER DELETE ON ${s.table} WHEN ${s.when("old")} AND ${LIVE} BEGIN ${unindex(s, "old")}; END`,
  `CREATE TRIGGER search_${s.name}_upd AFTER UPDATE OF ${s.columns} ON ${s.table} WHEN ${s.when("new")} AND ${changed(s)} AND ${LIVE}
   BEGIN ${unindex(s, "old")}; ${index(s, "new")}; END`,
]);

const PENDING_TABLE = "CREATE TABLE IF NOT EXISTS search_pending (id INTEGER PRIMARY KEY)";

/** Creates the index and fills it from what is stored in clear. */
export const CREATE_SEARCH: readonly string[] = [
  "CREATE TABLE search_docs (id INTEGER PRIMARY KEY, text TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL)",
  SEARCH_TABLE,
  PENDING_TABLE,
  ...TRIGGERS,
  ...SOURCES.map(
    (s) =>
      `INSERT INTO search_docs (id, text, kind, ref) SELECT ${s.id("t")}, ${s.text("t")}, '${s.kind}', ${s.ref("t")} FROM ${s.table} t
       WHERE ${s.when("t")} AND NOT (${s.sealed("t")}) AND ${PLAIN}`,
  ),
  "INSERT INTO search_index (search_index) VALUES ('rebuild')",
];

const DROP_TRIGGERS = SOURCES.flatMap((s) => ["ins", "del", "upd"].map((k) => `DROP TRIGGER IF EXISTS search_${s.name}_${k}`));

/** Drops the triggers, the queue and the FTS table (also those of migration 42, which have the same names). */
export const DROP_SEARCH: readonly string[] = [
  ...DROP_TRIGGERS,
  "DROP TABLE IF EXISTS search_pending",
  "DROP TABLE IF EXISTS search_index",
];

/** Migration 120 in a room whose index exists: the queue, and the triggers that fill it. */
export const QUEUE_SEARCH: readonly string[] = [...DROP_TRIGGERS, PENDING_TABLE, ...TRIGGERS];

/** Indexes the queued texts in one FTS5 write (none while the index is frozen for a re-seal). */
export const INDEX_PENDING: readonly string[] = [
  `INSERT INTO search_index (rowid, text, kind, ref)
     SELECT d.id, d.text, d.kind, d.ref FROM search_pending p JOIN search_docs d ON d.id = p.id WHERE ${LIVE} ORDER BY p.id`,
  `DELETE FROM search_pending WHERE ${LIVE}`,
];

/** Same-size filler written over each stored text: SQLite rewrites such a value where it is. */
export const OVERWRITE_DOCS =
  "UPDATE search_docs SET text = substr(replace(hex(zeroblob(length(CAST(text AS BLOB)))), '0', 'x'), 1, length(CAST(text AS BLOB)))";

/**
 * Migration 42 as it was applied: the first index, FTS5 holding its own text. Migration 44 drops
 * these objects for the ones above; kept verbatim, since an applied step never changes.
 */
export const SEARCH_INDEX_V42 = `
      CREATE VIRTUAL TABLE search_index USING fts5(text, kind UNINDEXED, ref UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TRIGGER search_event_ins AFTER INSERT ON events
        WHEN new.kind = 'broadcast' AND new.body NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1'
        BEGIN INSERT INTO search_index (rowid, text, kind, ref) VALUES (new.seq * 4, new.body, 'message', new.seq); END;
      CREATE TRIGGER search_event_del AFTER DELETE ON events WHEN old.kind = 'broadcast'
        BEGIN DELETE FROM search_index WHERE rowid = old.seq * 4; END;
      CREATE TRIGGER search_event_upd AFTER UPDATE OF body ON events WHEN new.kind = 'broadcast'
        BEGIN
          DELETE FROM search_index WHERE rowid = old.seq * 4;
          INSERT INTO search_index (rowid, text, kind, ref) SELECT new.seq * 4, new.body, 'message', new.seq
            WHERE new.body NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
        END;
      CREATE TRIGGER search_task_ins AFTER INSERT ON tasks WHEN new.title NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1'
        BEGIN
          INSERT INTO search_index (rowid, text, kind, ref)
            VALUES (new.num * 4 + 1, new.title || ' ' || new.description || ' ' || coalesce(new.notes, ''), 'task', new.id);
        END;
      CREATE TRIGGER search_task_upd AFTER UPDATE OF title, description, notes ON tasks
        BEGIN
          DELETE FROM search_index WHERE rowid = old.num * 4 + 1;
          INSERT INTO search_index (rowid, text, kind, ref)
            SELECT new.num * 4 + 1, new.title || ' ' || new.description || ' ' || coalesce(new.notes, ''), 'task', new.id
            WHERE new.title NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
        END;
      CREATE TRIGGER search_task_del AFTER DELETE ON tasks BEGIN DELETE FROM search_index WHERE rowid = old.num * 4 + 1; END;
      CREATE TRIGGER search_interrupt_ins AFTER INSERT ON checkpoints WHEN new.message NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1'
        BEGIN INSERT INTO search_index (rowid, text, kind, ref) VALUES (new.id * 4 + 2, new.message, 'interrupt', new.id); END;
      CREATE TRIGGER search_interrupt_upd AFTER UPDATE OF message ON checkpoints
        BEGIN
          DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
          INSERT INTO search_index (rowid, text, kind, ref) SELECT new.id * 4 + 2, new.message, 'interrupt', new.id
            WHERE new.message NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
        END;
      CREATE TRIGGER search_interrupt_del AFTER DELETE ON checkpoints BEGIN DELETE FROM search_index WHERE rowid = old.id * 4 + 2; END;
      INSERT INTO search_index (rowid, text, kind, ref)
        SELECT seq * 4, body, 'message', seq FROM events WHERE kind = 'broadcast' AND body NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
      INSERT INTO search_index (rowid, text, kind, ref)
        SELECT num * 4 + 1, title || ' ' || description || ' ' || coalesce(notes, ''), 'task', id FROM tasks
        WHERE title NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
      INSERT INTO search_index (rowid, text, kind, ref)
        SELECT id * 4 + 2, message, 'interrupt', id FROM checkpoints WHERE message NOT LIKE 'enc:%' AND (SELECT value FROM meta WHERE key = 'encryption_enabled') IS NOT '1';
      `;
