import type { TextCodec } from "./codec";
import { bodyField, DATA_FIELDS } from "./events";
import { forgetMeta, getMeta, setMeta } from "./meta";
import type { Db, SqlValue } from "./sql";

/** Every column holding message, task, portal or interrupt text, with the field it is sealed under. */
const TEXT_COLUMNS: ReadonlyArray<{ table: string; key: string; columns: ReadonlyArray<readonly [string, string]> }> = [
  {
    table: "tasks",
    key: "num",
    columns: [
      ["title", "task"],
      ["description", "task"],
      ["notes", "task"],
      ["reason", "task"],
    ],
  },
  {
    table: "checkpoints",
    key: "id",
    columns: [
      ["action", "interrupt"],
      ["message", "interrupt"],
      ["reason", "interrupt"],
    ],
  },
  {
    table: "permission_requests",
    key: "request_id",
    columns: [
      ["description", "interrupt"],
      ["input_preview", "interrupt"],
    ],
  },
  { table: "task_history", key: "id", columns: [["detail", "task"]] },
  { table: "sse_events", key: "id", columns: [["message", "stream"]] },
  {
    table: "approval_asks",
    key: "id",
    columns: [
      ["pending", "interrupt"],
      ["answer", "interrupt"],
    ],
  },
];

/** Meta rows holding a secret, sealed under their own key name. */
const SEALED_META = ["request_state_key"] as const;

export function encryptionOn(db: Db): boolean {
  return getMeta(db, "encryption_enabled") === "1";
}

interface Write {
  sql: string;
  params: SqlValue[];
  /** The value being replaced, scrubbed first (see reseal). */
  old: string;
}

/** A string of the same UTF-8 byte length, so SQLite rewrites the cell in place. */
function filler(value: string): string {
  return "x".repeat(new TextEncoder().encode(value).length);
}

/**
 * Re-writes every text value opened with `from` and sealed with `to`. All new values are computed
 * first (WebCrypto is async), then written in one transaction: a failure (say, a wrong key) leaves
 * every row as it was.
 */
export async function reseal(db: Db, from: TextCodec, to: TextCodec): Promise<number> {
  const writes: Write[] = [];
  const convert = async (field: string, value: string) => to.seal(field, await from.open(field, value));
  for (const { table, key, columns } of TEXT_COLUMNS) {
    for (const row of db.all<Record<string, SqlValue>>(`SELECT * FROM ${table}`)) {
      for (const [column, field] of columns) {
        const value = row[column];
        if (typeof value !== "string") continue;
        writes.push({
          sql: `UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`,
          params: [await convert(field, value), row[key] ?? null],
          old: value,
        });
      }
    }
  }
  for (const e of db.all<{ seq: number; kind: string; body: string | null; data: string }>("SELECT seq, kind, body, data FROM events")) {
    if (e.body !== null) {
      writes.push({
        sql: "UPDATE events SET body = ? WHERE seq = ?",
        params: [await convert(bodyField(e.kind), e.body), e.seq],
        old: e.body,
      });
    }
    const data = JSON.parse(e.data) as Record<string, unknown>;
    let changed = false;
    for (const [k, field] of Object.entries(DATA_FIELDS)) {
      const v = data[k];
      if (typeof v === "string") {
        data[k] = await convert(field, v);
        changed = true;
      }
    }
    if (changed) writes.push({ sql: "UPDATE events SET data = ? WHERE seq = ?", params: [JSON.stringify(data), e.seq], old: e.data });
  }
  // Secrets kept in meta (the requestState HMAC key) are sealed like text.
  for (const key of SEALED_META) {
    const value = getMeta(db, key);
    if (value !== undefined)
      writes.push({ sql: "UPDATE meta SET value = ? WHERE key = ?", params: [await convert(key, value), key], old: value });
  }
  // SQLite cannot secure_delete or VACUUM here, so the bytes a changed value leaves behind in its
  // page would keep the old text. Overwriting it in place with filler first means what is left
  // behind is filler.
  db.tx(() => {
    for (const w of writes) {
      db.run(w.sql, filler(w.old), ...w.params.slice(1));
      db.run(w.sql, ...w.params);
    }
  });
  // The meta rows above were written around the cache.
  forgetMeta(db);
  return writes.length;
}

export function markEncryption(db: Db, on: boolean): void {
  setMeta(db, "encryption_enabled", on ? "1" : "0");
}

/** How many stored values are sealed, as a check that encryption did what it says. */
export function sealedCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { table, columns } of TEXT_COLUMNS) {
    const cond = columns.map(([c]) => `${c} LIKE 'enc:%'`).join(" OR ");
    out[table] = db.one<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${cond}`)?.n ?? 0;
  }
  out.events = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE body LIKE 'enc:%' OR data LIKE '%\"enc:%'")?.n ?? 0;
  return out;
}
