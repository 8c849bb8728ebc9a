import { DatabaseSync } from "node:sqlite";
import { migrate } from "../../src/room/schema";
import type { Db, SqlValue } from "../../src/room/sql";

/** The same Db port over node:sqlite, so domain functions are tested in milliseconds. */
export function memoryDb(): Db {
  const sqlite = new DatabaseSync(":memory:");
  let depth = 0;
  const db: Db = {
    all: <T>(q: string, ...p: SqlValue[]) => sqlite.prepare(q).all(...p) as T[],
    one: <T>(q: string, ...p: SqlValue[]) => sqlite.prepare(q).get(...p) as T | undefined,
    run: (q: string, ...p: SqlValue[]) => Number(sqlite.prepare(q).run(...p).changes),
    tx: <T>(fn: () => T): T => {
      const name = `sp${depth++}`;
      sqlite.exec(`SAVEPOINT ${name}`);
      try {
        const out = fn();
        sqlite.exec(`RELEASE ${name}`);
        return out;
      } catch (err) {
        sqlite.exec(`ROLLBACK TO ${name}`);
        sqlite.exec(`RELEASE ${name}`);
        throw err;
      } finally {
        depth--;
      }
    },
  };
  migrate(db);
  return db;
}
