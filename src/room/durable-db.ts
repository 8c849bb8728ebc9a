import { cacheMeta, forgetMeta } from "./meta";
import type { Db, SqlValue } from "./sql";

/** The Db port over a Durable Object's SQLite storage. */
export function durableDb(storage: DurableObjectStorage): Db {
  const sql = storage.sql;
  const db: Db = {
    all: <T>(query: string, ...params: SqlValue[]) => sql.exec(query, ...params).toArray() as unknown as T[],
    one: <T>(query: string, ...params: SqlValue[]) => {
      const rows = sql.exec(query, ...params).toArray();
      return rows[0] as unknown as T | undefined;
    },
    run: (query: string, ...params: SqlValue[]) => {
      sql.exec(query, ...params).toArray();
      // rowsWritten counts index entries too; changes() counts rows.
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
  };
  cacheMeta(db);
  return db;
}
