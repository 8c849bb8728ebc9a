/**
 * The room's SQLite commits once for every turn of its event loop that wrote, so twenty agents
 * writing at once paid twenty commits (WAL frames and an fsync each). A tool call that writes
 * while other requests are in the room waits here for the next macrotask, and every call that
 * asked meanwhile runs in that same turn: their writes share one commit (decision 0031). A write
 * alone in the room has nobody to share with and runs at once: of the host's work on a lone write,
 * the timer hop was the largest piece it did not need (decision 0045).
 */
export class CommitBatch {
  #waiting: Array<() => void> = [];
  #armed = false;

  constructor(
    /** Whether any request but the one asking is in the room now. */
    private readonly others: () => boolean,
    private readonly later: (run: () => void) => void = (run) => void setTimeout(run, 0),
  ) {}

  /** Resolves in the turn that runs every write asked for since the last one. */
  turn(): Promise<void> {
    if (!this.#armed && !this.others()) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (this.#armed) return;
      this.#armed = true;
      this.later(() => {
        this.#armed = false;
        const ready = this.#waiting;
        this.#waiting = [];
        for (const go of ready) go();
      });
    });
  }
}
