import type { Db } from "../room/sql";

const CHUNK = 64 * 1024;
/** SQLite checkpoints its WAL at 1000 pages (4 MiB); a little more makes sure one happens. */
const WAL_BYTES = 5 * 1024 * 1024;

/** What scrubbing needs of Durable Object storage beyond SQL. */
export interface ScrubStorage {
  readonly sql: { readonly databaseSize: number };
  sync(): Promise<void>;
}

function fill(db: Db, bytes: number): void {
  const rows = Math.ceil(bytes / CHUNK);
  db.tx(() => {
    for (let i = 0; i < rows; i++) db.run("INSERT INTO wal_scrub (filler) VALUES (zeroblob(?))", CHUNK);
  });
}

/** Also run when a room starts, in case a scrub was cut off with its filler still stored. */
export function dropScratch(db: Db): void {
  db.run("DELETE FROM wal_scrub");
}

/**
 * Durable Object SQLite allows neither VACUUM, secure_delete nor a manual WAL checkpoint, so text
 * that was replaced can live on in free pages and in old WAL frames. Writing zeros the size of the
 * database plus a WAL's worth, twice, with a commit between: the first round takes every free page
 * and forces a checkpoint (the database file gets the re-sealed pages), the second overwrites the
 * WAL from its start. Deleting the filler leaves zero-filled free pages for later writes to reuse.
 */
export async function scrubFreedSpace(db: Db, storage: ScrubStorage): Promise<number> {
  dropScratch(db);
  const bytes = storage.sql.databaseSize + WAL_BYTES;
  for (let round = 0; round < 2; round++) {
    fill(db, bytes);
    await storage.sync();
    dropScratch(db);
    await storage.sync();
  }
  return bytes * 2;
}
