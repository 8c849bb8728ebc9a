/** What the pacer needs of time; the room passes the platform's, tests a hand-turned clock. */
export interface PaceClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: PaceClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * When a room hands committed events to its listeners (decision 0029). Each publication costs
 * every open stream a message, so a room with other requests in flight leaves it to the last of
 * them (or to a timer `withinMs` later), and once a publication had to wait, the next waits until
 * `withinMs` after it while the room stays busy. A room serving one request at a time publishes at
 * once.
 */
export class PublishPace {
  #inflight = 0;
  #busyAt = Number.NEGATIVE_INFINITY;
  #due: { done: Promise<void>; resolve: (p: Promise<void>) => void; timer: unknown } | undefined;

  constructor(
    private readonly publish: () => Promise<void>,
    private readonly withinMs: number,
    private readonly clock: PaceClock = SYSTEM_CLOCK,
  ) {}

  /** A request reached the room; `leave` when it is answered. */
  enter(): void {
    this.#inflight++;
  }

  leave(): void {
    this.#inflight--;
    if (this.#inflight === 0 && this.#due && this.#spaced()) void this.#fire();
  }

  /** Whether more than one request is in the room now. */
  get shared(): boolean {
    return this.#inflight > 1;
  }

  /** The publication a busy room left for later, if any. */
  get pending(): Promise<void> | undefined {
    return this.#due?.done;
  }

  /** New events were committed: publishes now, or says when they will have been. */
  request(): Promise<void> {
    if (!this.#due && this.#inflight <= 1 && this.#spaced()) return this.#fire();
    if (!this.#due) {
      let resolve!: (p: Promise<void>) => void;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      const wait = this.#inflight > 1 || this.#spaced() ? this.withinMs : this.#busyAt + this.withinMs - this.clock.now();
      this.#due = { done, resolve, timer: this.clock.setTimeout(() => void this.#fire(), wait) };
    }
    return this.#due.done;
  }

  #spaced(): boolean {
    return this.clock.now() - this.#busyAt >= this.withinMs;
  }

  #fire(): Promise<void> {
    const due = this.#due;
    this.#due = undefined;
    const published = this.publish();
    if (due) {
      // It waited: the room is busy, and its next publication waits at least as long.
      this.#busyAt = this.clock.now();
      this.clock.clearTimeout(due.timer);
      due.resolve(published);
    }
    return published;
  }
}
