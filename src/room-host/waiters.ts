import type { RoomEvent } from "../room/events";

interface Waiter {
  agent: string;
  match: (e: RoomEvent) => boolean;
  wake: (woken: boolean) => void;
}

/** masc_listen calls waiting for an event; woken by the room's event listener. */
export class Waiters {
  readonly #waiting = new Set<Waiter>();

  wait(agent: string, match: (e: RoomEvent) => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const finish = (woken: boolean) => {
        if (!this.#waiting.delete(waiter)) return;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(woken);
      };
      const waiter: Waiter = { agent, match, wake: finish };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  notify(events: readonly RoomEvent[]): void {
    for (const w of [...this.#waiting]) if (events.some(w.match)) w.wake(true);
  }

  agents(): string[] {
    return [...new Set([...this.#waiting].map((w) => w.agent))].sort();
  }
}
