import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS, type Migration, migrate } from "../../src/room/schema";
import { type Db, type SqlValue, WRITES } from "../../src/room/sql";

/** The same Db port over node:sqlite, so domain functions are tested in milliseconds. */
export function memoryDb(migrations: readonly Migration[] = MIGRATIONS): Db {
  const sqlite = new DatabaseSync(":memory:");
  let depth = 0;
  let writes = 0;
  const prepare = (q: string) => {
    if (WRITES.test(q)) writes++;
    return sqlite.prepare(q);
  };
  const db: Db = {
    all: <T>(q: string, ...p: SqlValue[]) => prepare(q).all(...p) as T[],
    one: <T>(q: string, ...p: SqlValue[]) => prepare(q).get(...p) as T | undefined,
    run: (q: string, ...p: SqlValue[]) => {
      writes++;
      return Number(sqlite.prepare(q).run(...p).changes);
    },
    writes: () => writes,
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
  migrate(db, migrations);
  return db;
}
