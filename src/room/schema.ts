import { SCRUB_WORKTREE_EVENTS } from "./event-scrubs";
import { CREATE_SEARCH, DROP_SEARCH, QUEUE_SEARCH, SEARCH_INDEX_V42 } from "./search-schema";
import type { Db } from "./sql";

/**
 * Append-only migrations. Never edit an applied step: add a new one. Applied steps are recorded by
 * name in `_migrations`, so steps written on parallel branches apply in list order on any room.
 */
export interface Migration {
  version: number;
  name: string;
  up: string;
  /** A step that depends on the room's state, run after `up`. */
  apply?: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "core",
    up: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE agents (
        name TEXT PRIMARY KEY,
        agent_type TEXT NOT NULL,
        status TEXT NOT NULL,
        capabilities TEXT NOT NULL DEFAULT '[]',
        joined_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        left_at INTEGER
      );
      CREATE TABLE tasks (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        priority INTEGER NOT NULL,
        state TEXT NOT NULL,
        assignee TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        claimed_at INTEGER,
        started_at INTEGER,
        completed_at INTEGER,
        notes TEXT,
        cancelled_by TEXT,
        cancelled_at INTEGER,
        reason TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        worktree TEXT,
        archived_at INTEGER
      );
      CREATE INDEX tasks_board ON tasks (archived_at, state, priority, created_at);
      CREATE INDEX tasks_assignee ON tasks (assignee, state);
      CREATE TABLE task_history (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        actor TEXT,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX task_history_task ON task_history (task_id, id);
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT,
        target TEXT,
        body TEXT,
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX events_kind ON events (kind, seq);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        agent TEXT,
        mode TEXT NOT NULL,
        categories TEXT NOT NULL,
        init TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
      );
      CREATE TABLE sse_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL,
        stream_id TEXT NOT NULL,
        message TEXT NOT NULL,
        ts INTEGER NOT NULL
      );
      CREATE INDEX sse_events_session ON sse_events (session_id, id);
    `,
  },
  {
    version: 10,
    name: "comm",
    up: `
      CREATE TABLE agent_cursors (
        agent TEXT PRIMARY KEY,
        delivered_seq INTEGER NOT NULL DEFAULT 0,
        read_seq INTEGER NOT NULL DEFAULT 0,
        portal_read_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE locks (
        path TEXT PRIMARY KEY,
        holder TEXT,
        token INTEGER NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX locks_holder ON locks (holder, expires_at);
      CREATE TABLE portals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        opener TEXT NOT NULL,
        target TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        closed_at INTEGER,
        closed_by TEXT
      );
      CREATE INDEX portals_open ON portals (closed_at, opener, target);
      CREATE TABLE session_push (
        session_id TEXT PRIMARY KEY,
        pushed_seq INTEGER NOT NULL,
        subscriptions TEXT NOT NULL DEFAULT '[]'
      );
      ALTER TABLE agents ADD COLUMN declared_status TEXT
    `,
  },
  {
    version: 20,
    name: "interrupts",
    up: `
      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        agent TEXT NOT NULL,
        step INTEGER NOT NULL,
        action TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL,
        branch_name TEXT,
        parent_id INTEGER,
        created_at INTEGER NOT NULL,
        decided_at INTEGER,
        decided_by TEXT,
        reason TEXT
      );
      CREATE INDEX checkpoints_task ON checkpoints (task_id, id);
      CREATE INDEX checkpoints_state ON checkpoints (state, id);
    `,
  },
  {
    version: 21,
    name: "costs",
    up: `
      CREATE TABLE costs (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        agent TEXT NOT NULL,
        model TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL,
        task_id TEXT
      );
      CREATE INDEX costs_ts ON costs (ts);
    `,
  },
  {
    version: 22,
    name: "votes",
    up: `
      CREATE TABLE votes (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        proposer TEXT NOT NULL,
        topic TEXT NOT NULL,
        options TEXT NOT NULL,
        required_votes INTEGER NOT NULL,
        status TEXT NOT NULL,
        winner TEXT,
        created_at INTEGER NOT NULL,
        deadline INTEGER,
        closed_at INTEGER
      );
      CREATE INDEX votes_open ON votes (status, deadline);
      CREATE TABLE ballots (
        vote_id TEXT NOT NULL,
        agent TEXT NOT NULL,
        choice TEXT NOT NULL,
        ts INTEGER NOT NULL,
        PRIMARY KEY (vote_id, agent)
      );
    `,
  },
  {
    version: 23,
    name: "auth",
    up: `
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        role TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX tokens_agent ON tokens (agent);
    `,
  },
  {
    version: 24,
    name: "ratelimit",
    up: `
      CREATE TABLE rate_hits (
        agent TEXT NOT NULL,
        category TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (agent, category)
      );
    `,
  },
  {
    version: 25,
    name: "session_owner",
    up: "ALTER TABLE sessions ADD COLUMN owner TEXT;",
  },
  {
    version: 26,
    name: "wal_scrub",
    up: "CREATE TABLE wal_scrub (id INTEGER PRIMARY KEY, filler BLOB NOT NULL);",
  },
  {
    version: 27,
    name: "session_log_level",
    up: "ALTER TABLE sessions ADD COLUMN log_level TEXT;",
  },
  {
    // Pushed room events are rebuilt from the events table now; the rows left would replay twice.
    version: 28,
    name: "sse_after_seq",
    up: "DELETE FROM sse_events; ALTER TABLE sse_events ADD COLUMN after_seq INTEGER NOT NULL DEFAULT 0;",
  },
  {
    // Locks are keyed by path identity (case-folded NFKC) and may be directory/glob leases. Old
    // rows keep their spelling in `shown`; ASCII-lowercasing their key is what SQL can do here.
    version: 40,
    name: "lock_identity_leases",
    up: `
      ALTER TABLE locks ADD COLUMN shown TEXT;
      ALTER TABLE locks ADD COLUMN kind TEXT NOT NULL DEFAULT 'file';
      UPDATE locks SET shown = path;
      UPDATE OR IGNORE locks SET path = lower(path);
      CREATE INDEX locks_live_kind ON locks (kind, expires_at);
    `,
  },
  {
    // A reply's thread is its root broadcast's seq (also in data.thread); the column is the index.
    version: 41,
    name: "event_threads",
    up: `
      ALTER TABLE events ADD COLUMN thread INTEGER;
      CREATE INDEX events_thread ON events (thread, seq) WHERE thread IS NOT NULL;
    `,
  },
  {
    // Full-text search (decision 0016). Triggers keep the index in step in the writing
    // transaction; nothing is indexed while encryption at rest is on (sealed text stays sealed).
    // Row ids: seq*4 a broadcast, num*4+1 a task, id*4+2 an interrupt.
    version: 42,
    name: "search_index",
    up: SEARCH_INDEX_V42,
  },
  {
    // A lock's literal directory prefix, so SQL narrows overlap candidates; '' (old rows) is
    // checked against everything.
    version: 43,
    name: "lock_prefix",
    up: `
      ALTER TABLE locks ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
      UPDATE locks SET prefix = path WHERE kind = 'file';
    `,
  },
  {
    // The index reads its text from a plain table (overwritable in place) and is frozen during a
    // re-seal; see search-schema.ts. Replaces migration 42's objects.
    version: 44,
    name: "search_docs",
    up: [...DROP_SEARCH, ...CREATE_SEARCH].join(";\n"),
  },
  {
    // OAuth sign-in: one-time invites an admin mints, and the grants a consent turned them into.
    version: 80,
    name: "oauth_invites_grants",
    up: `
      CREATE TABLE oauth_invites (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        agent TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        grant_id TEXT
      );
      CREATE TABLE oauth_grants (
        id TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        role TEXT NOT NULL,
        client TEXT NOT NULL,
        via TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX oauth_grants_agent ON oauth_grants (agent);
    `,
  },
  {
    // The alarm drops expired invites; it asks for the earliest expiry after every write.
    version: 81,
    name: "oauth_invites_expiry",
    up: "CREATE INDEX oauth_invites_expiry ON oauth_invites (expires_at);",
  },
  {
    // Counts that status, metrics and task pages show, kept by triggers so they cost one row read
    // however large the board and the log grow (COUNT(*) walks every row of an index).
    version: 90,
    name: "counts",
    up: `
      CREATE TABLE task_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);
      INSERT INTO task_counts (state, n) SELECT state, COUNT(*) FROM tasks WHERE archived_at IS NULL GROUP BY state;
      CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks WHEN NEW.archived_at IS NULL BEGIN
        INSERT INTO task_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks WHEN OLD.archived_at IS NULL BEGIN
        UPDATE task_counts SET n = n - 1 WHERE state = OLD.state;
      END;
      CREATE TRIGGER task_counts_update AFTER UPDATE OF state, archived_at ON tasks BEGIN
        UPDATE task_counts SET n = n - 1 WHERE state = OLD.state AND OLD.archived_at IS NULL;
        INSERT INTO task_counts (state, n) SELECT NEW.state, 1 WHERE NEW.archived_at IS NULL
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TABLE event_counts (kind TEXT PRIMARY KEY, n INTEGER NOT NULL);
      INSERT INTO event_counts (kind, n) SELECT 'broadcast', COUNT(*) FROM events WHERE kind = 'broadcast';
      CREATE TRIGGER event_counts_insert AFTER INSERT ON events WHEN NEW.kind = 'broadcast' BEGIN
        UPDATE event_counts SET n = n + 1 WHERE kind = NEW.kind;
      END;
      CREATE TRIGGER event_counts_delete AFTER DELETE ON events WHEN OLD.kind = 'broadcast' BEGIN
        UPDATE event_counts SET n = n - 1 WHERE kind = OLD.kind;
      END;
      CREATE INDEX tasks_active ON tasks (state, claimed_at);
    `,
  },
  {
    // local_agent_connected events used to carry the daemon's hostname, repository path and pid to
    // every viewer; the ones already stored keep only the repository's name, like new ones.
    version: 100,
    name: "local_agent_events_scrubbed",
    up: "UPDATE events SET data = json_object('repo_name', json_extract(data, '$.repo_name')) WHERE kind = 'local_agent_connected';",
  },
  { version: 110, name: "worktree_events_scrubbed", up: SCRUB_WORKTREE_EVENTS },
  {
    // New texts wait in a queue that FTS5 takes in batches (decision 0030); only where the index
    // exists (a room with encryption at rest on has none until it is turned off).
    version: 120,
    name: "search_queue",
    up: "",
    apply: (db) => {
      if (!db.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'search_index'")) return;
      // Every text so far was indexed by the old triggers, so the queue starts empty.
      for (const sql of QUEUE_SEARCH) db.run(sql);
    },
  },
  {
    // An admin may withdraw an invite (masc_auth_revoke); disabling auth withdraws every unused one.
    version: 130,
    name: "oauth_invites_revoked",
    up: "ALTER TABLE oauth_invites ADD COLUMN revoked_at INTEGER;",
  },
  {
    // The requestState key is now sealed when encryption at rest is on. A room that turned it on
    // earlier kept it in the clear: overwrite it in place, then drop it; the next use makes a new,
    // sealed one (a question asked in the last ten minutes must be asked again).
    version: 131,
    name: "request_state_key_unsealed_dropped",
    up: "",
    apply: (db) => {
      if (db.one("SELECT 1 AS yes FROM meta WHERE key = 'encryption_enabled' AND value = '1'") === undefined) return;
      const where = "key = 'request_state_key' AND value NOT LIKE 'enc:%'";
      db.run(`UPDATE meta SET value = substr(replace(hex(zeroblob(length(value))), '0', 'x'), 1, length(value)) WHERE ${where}`);
      db.run(`DELETE FROM meta WHERE ${where}`);
    },
  },
  {
    // An approval question a 2025-era client was asked with elicitation/create while the Worker
    // waits for its answer (decision 0036): the texts are sealed like the checkpoint's own.
    version: 140,
    name: "approval_asks",
    up: `
      CREATE TABLE approval_asks (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        checkpoint INTEGER NOT NULL,
        agent TEXT NOT NULL,
        pending TEXT NOT NULL,
        answer TEXT,
        expires_at INTEGER NOT NULL
      );
      `,
  },
  {
    // Task dependencies (decision 0039). `open_blockers` counts blockers not yet done or cancelled;
    // `unblocks` counts the open work waiting on a task, transitively. Both are kept on writes so
    // claim_next reads them from the row: the claimable set is a partial index of its own.
    version: 150,
    name: "task_deps",
    up: `
      CREATE TABLE task_deps (
        task_id TEXT NOT NULL,
        blocker_id TEXT NOT NULL,
        PRIMARY KEY (task_id, blocker_id)
      ) WITHOUT ROWID;
      CREATE INDEX task_deps_blocker ON task_deps (blocker_id, task_id);
      ALTER TABLE tasks ADD COLUMN open_blockers INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tasks ADD COLUMN unblocks INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_ready ON tasks (priority, created_at) WHERE archived_at IS NULL AND state = 'todo' AND open_blockers = 0;
      CREATE INDEX tasks_unblocking ON tasks (unblocks DESC, created_at) WHERE unblocks > 0 AND archived_at IS NULL AND state = 'todo' AND open_blockers = 0;
    `,
  },
  {
    // Spending caps (decision 0039). `spend` keeps each agent's total per UTC day as costs are
    // logged, so a claim checks a cap with a few row reads rather than a sum over every cost.
    version: 151,
    name: "budgets",
    up: `
      CREATE TABLE spend (agent TEXT NOT NULL, day INTEGER NOT NULL, usd REAL NOT NULL, PRIMARY KEY (agent, day)) WITHOUT ROWID;
      INSERT INTO spend (agent, day, usd) SELECT agent, ts / 86400000, SUM(cost_usd) FROM costs GROUP BY agent, ts / 86400000;
      CREATE TRIGGER spend_insert AFTER INSERT ON costs BEGIN
        INSERT INTO spend (agent, day, usd) VALUES (NEW.agent, NEW.ts / 86400000, NEW.cost_usd)
          ON CONFLICT (agent, day) DO UPDATE SET usd = usd + excluded.usd;
      END;
      CREATE TABLE budgets (
        agent TEXT NOT NULL,
        period TEXT NOT NULL,
        limit_usd REAL NOT NULL,
        set_by TEXT,
        set_at INTEGER NOT NULL,
        crossed TEXT,
        PRIMARY KEY (agent, period)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Claude Code's permission prompts relayed by masc-agent channel (decision 0040).
    version: 160,
    name: "permission_requests",
    up: `
      CREATE TABLE permission_requests (
        request_id TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        channel TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        description TEXT NOT NULL,
        input_preview TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        decided_at INTEGER,
        decided_by TEXT
      );
      CREATE INDEX permission_requests_recent ON permission_requests (state, created_at);
    `,
  },
];

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  db.run("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
  const applied = new Set(db.all<{ name: string }>("SELECT name FROM _migrations").map((r) => r.name));
  const pending = migrations.filter((m) => !applied.has(m.name));
  if (pending.length === 0) return 0;
  db.tx(() => {
    for (const m of pending) {
      for (const statement of splitStatements(m.up)) db.run(statement);
      m.apply?.(db);
      db.run("INSERT INTO _migrations (name, version, applied_at) VALUES (?, ?, ?)", m.name, m.version, Date.now());
    }
  });
  return pending.length;
}

/**
 * The schema is plain DDL with no string literals containing `;`, so splitting on it is safe,
 * except inside a trigger's BEGIN … END, which is kept as one statement.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let trigger: string[] | null = null;
  for (const part of sql.split(";").map((s) => s.trim())) {
    if (trigger) {
      trigger.push(part);
      if (/^END$/i.test(part)) {
        out.push(trigger.join(";\n"));
        trigger = null;
      }
    } else if (/^CREATE TRIGGER\b/i.test(part) && !/\bEND$/i.test(part)) trigger = [part];
    else if (part.length > 0) out.push(part);
  }
  return out;
}
