import type { Db, SqlValue } from "../../src/room/sql";
import { memoryDb } from "./node-db";

/** An in-memory room Db that keeps the text of every read and write it runs, in order. */
export function recordingDb(): { db: Db; queries: () => string[] } {
  const inner = memoryDb();
  const seen: string[] = [];
  const db: Db = {
    all: <T>(q: string, ...p: SqlValue[]) => {
      seen.push(q);
      return inner.all<T>(q, ...p);
    },
    one: <T>(q: string, ...p: SqlValue[]) => {
      seen.push(q);
      return inner.one<T>(q, ...p);
    },
    run: (q: string, ...p: SqlValue[]) => {
      seen.push(q);
      return inner.run(q, ...p);
    },
    tx: (fn) => inner.tx(fn),
    writes: () => inner.writes(),
  };
  return { db, queries: () => [...seen] };
}
