import { lastSeq } from "../room/events";
import { type RoomReport, roomReport } from "../room/report";
import type { Db } from "../room/sql";

/** How often an active room tells the directory its counts: one small RPC per room per interval. */
export const REPORT_EVERY_MS = 5_000;

/** The directory Durable Object as the room sees it: the one call it makes (env.DIRECTORY fits it). */
export interface DirectoryNamespace {
  getByName(name: string): { report(r: RoomReport): Promise<unknown> };
}

/**
 * Registers the room in the directory with its first event and keeps its counts fresh, throttled:
 * a busy room costs the directory one call per REPORT_EVERY_MS, an idle one nothing.
 */
export class DirectoryLink {
  #lastAt = 0;
  #lastSeq = -1;
  #trailing: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly directory: DirectoryNamespace | undefined) {}

  touch(db: Db, name: string, now: number): void {
    if (!this.directory) return;
    if (now - this.#lastAt < REPORT_EVERY_MS) {
      // Within the interval nothing is read (this runs on every request): the last change of a
      // burst is reported once the interval is over.
      this.#trailing ??= setTimeout(
        () => {
          this.#trailing = undefined;
          this.touch(db, name, Date.now());
        },
        REPORT_EVERY_MS - (now - this.#lastAt),
      );
      return;
    }
    // A room is listed from its first event: requests refused by auth, or reads of an empty room,
    // never create an entry. Nothing new since the last report (only reads): the entry is right.
    const seq = lastSeq(db);
    if (seq === 0) return;
    if (seq === this.#lastSeq) {
      this.#lastAt = now;
      return;
    }
    const report = roomReport(db, name);
    this.#lastAt = now;
    this.#lastSeq = report.events;
    this.directory
      .getByName("rooms")
      .report(report)
      .catch((err: unknown) => {
        this.#lastSeq = -1;
        console.error("directory report failed", err);
      });
  }
}
