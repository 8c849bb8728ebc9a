import type { Db } from "./sql";

/**
 * Settings read on every call (auth on?, rate limits, pause) are cached per Db, for the Db ports that
 * opt in: a room's own storage, which only this isolate writes. Every write below forgets its key,
 * and the port forgets all of them when a transaction rolls back (see forgetMeta).
 */
const caches = new WeakMap<Db, Map<string, string | undefined>>();

export function cacheMeta(db: Db): void {
  caches.set(db, new Map());
}

/** After a rollback: values read inside the transaction may never have been committed. */
export function forgetMeta(db: Db): void {
  caches.get(db)?.clear();
}

/** Small room-wide settings and counters, one row per key. */
export function getMeta(db: Db, key: string): string | undefined {
  const cache = caches.get(db);
  if (cache?.has(key)) return cache.get(key);
  const value = db.one<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)?.value;
  cache?.set(key, value);
  return value;
}

export function setMeta(db: Db, key: string, value: string): void {
  caches.get(db)?.delete(key);
  db.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
}

export function deleteMeta(db: Db, key: string): void {
  caches.get(db)?.delete(key);
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
  caches.get(db)?.delete(key);
  const row = db.one<{ value: string }>(
    "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
    key,
  );
  return Number(row?.value ?? 1);
}

export function counter(db: Db, key: string): number {
  return Number(getMeta(db, key) ?? 0);
}
