import type { RoomEvent } from "../room/events";

/** Who is connected right now; answers masc_who and masc_status's "listening". */
export interface Presence {
  sessions: Array<{ id: string; agent: string | null; mode: string; streaming: boolean }>;
  sockets: Array<{ kind: string; agent: string | null }>;
  listening: string[];
}

/** The real-time side of a room that tools can use: waiting for events and seeing who is there. */
export interface RoomLive {
  /**
   * Resolves true when a published event matches, false on timeout or abort. Register it in the
   * same synchronous turn as the read that found nothing, so no event can slip in between.
   */
  waitFor(agent: string, match: (e: RoomEvent) => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean>;
  presence(): Presence;
}

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
