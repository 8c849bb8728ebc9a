/**
 * The room's SQLite commits once for every turn of its event loop that wrote, so twenty agents
 * writing at once paid twenty commits (WAL frames and an fsync each). A tool call that writes
 * waits here for the next macrotask, and every call that asked meanwhile runs in that same turn:
 * their writes share one commit (decision 0031). A quiet room pays one timer hop.
 */
export class CommitBatch {
  #waiting: Array<() => void> = [];
  #armed = false;

  constructor(private readonly later: (run: () => void) => void = (run) => void setTimeout(run, 0)) {}

  /** Resolves in the turn that runs every write asked for since the last one. */
  turn(): Promise<void> {
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
