import type { Db } from "./sql";

/** Small room-wide settings and counters, one row per key. */
export function getMeta(db: Db, key: string): string | undefined {
  return db.one<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
}

export function deleteMeta(db: Db, key: string): void {
  db.run("DELETE FROM meta WHERE key = ?", key);
}

export function getJsonMeta<T>(db: Db, key: string): T | undefined {
  const raw = getMeta(db, key);
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}

export function setJsonMeta(db: Db, key: string, value: unknown): void {
  setMeta(db, key, JSON.stringify(value));
}

/** Increments and returns a counter; ids built from it are never reused. */
export function nextCounter(db: Db, key: string): number {
  const row = db.one<{ value: string }>(
    "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
    key,
  );
  return Number(row?.value ?? 1);
}

export function counter(db: Db, key: string): number {
  return Number(getMeta(db, key) ?? 0);
}
