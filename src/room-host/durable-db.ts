import { cacheMeta, forgetMeta } from "../room/meta";
import { type Db, type SqlValue, WRITES } from "../room/sql";

const DML = /^\s*(INSERT|UPDATE|DELETE)\b/i;
const RETURNING = /\bRETURNING\b/i;

/** The Db port over a Durable Object's SQLite storage. */
export function durableDb(storage: DurableObjectStorage): Db {
  const sql = storage.sql;
  let writes = 0;
  const exec = (query: string, params: SqlValue[]) => {
    if (WRITES.test(query)) writes++;
    return sql.exec(query, ...params);
  };
  const db: Db = {
    all: <T>(query: string, ...params: SqlValue[]) => exec(query, params).toArray() as unknown as T[],
    one: <T>(query: string, ...params: SqlValue[]) => {
      const rows = exec(query, params).toArray();
      return rows[0] as unknown as T | undefined;
    },
    run: (query: string, ...params: SqlValue[]) => {
      writes++;
      // rowsWritten counts index entries too. A write that returns one row per changed row is
      // counted in the same statement; anything else asks changes() in a second one.
      if (DML.test(query) && !RETURNING.test(query)) return sql.exec(`${query} RETURNING 1`, ...params).toArray().length;
      sql.exec(query, ...params).toArray();
      return Number(sql.exec("SELECT changes() AS n").one().n);
    },
    tx: <T>(fn: () => T) => {
      try {
        return storage.transactionSync(fn);
      } catch (err) {
        forgetMeta(db);
        throw err;
      }
    },
    writes: () => writes,
  };
  cacheMeta(db);
  return db;
}
