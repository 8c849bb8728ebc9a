import { type ChannelEvent, metaOf } from "./events.ts";

export interface PacerOptions {
  /** Events passed on one by one per window; the rest of a burst becomes one summary. */
  perWindow: number;
  windowMs: number;
  agent: string;
}

/**
 * Keeps a burst from flooding the model's context: the first few events of a window go out as
 * they come, the others are held and go out as one event with their count and the call that
 * reads them. `delivered` reports the seq up to which everything has gone out.
 */
export class Pacer {
  #sent = 0;
  #held: ChannelEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  private readonly o: PacerOptions;
  private readonly send: (e: ChannelEvent) => void;

  constructor(o: PacerOptions, send: (e: ChannelEvent) => void) {
    this.o = o;
    this.send = send;
  }

  /** The seq before the first held event, or null when nothing is held (the cursor stays there). */
  get heldFrom(): number | null {
    const first = this.#held[0];
    return first ? first.seq - 1 : null;
  }

  push(e: ChannelEvent): void {
    this.#arm();
    if (this.#held.length === 0 && this.#sent < this.o.perWindow) {
      this.#sent++;
      this.send(e);
    } else this.#held.push(e);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(): void {
    this.#timer ??= setTimeout(() => this.#tick(), this.o.windowMs);
  }

  #tick(): void {
    this.#timer = null;
    this.#sent = 0;
    const held = this.#held;
    if (held.length === 0) return;
    this.#held = [];
    this.#arm();
    // A few held ones go out as they are; only a real burst is summed up.
    if (held.length <= this.o.perWindow) {
      this.#sent = held.length;
      for (const e of held) this.send(e);
      return;
    }
    this.#sent = 1;
    this.send(summary(held, this.o.agent));
  }
}

/** One event standing for many: how many of each kind, from whom, and the call that reads them. */
export function summary(held: readonly ChannelEvent[], agent: string): ChannelEvent {
  const first = held[0]?.seq ?? 0;
  const last = held.at(-1)?.seq ?? first;
  const kinds = new Map<string, number>();
  const senders = new Set<string>();
  for (const e of held) {
    kinds.set(e.meta.kind ?? "event", (kinds.get(e.meta.kind ?? "event") ?? 0) + 1);
    if (e.meta.sender) senders.add(e.meta.sender);
  }
  const counts = [...kinds].map(([k, n]) => `${n} ${k}`).join(", ");
  const who = [...senders].slice(0, 5).join(", ") + (senders.size > 5 ? ` and ${senders.size - 5} more` : "");
  return {
    seq: last,
    meta: metaOf({
      sender: senders.size === 1 ? [...senders][0] : "several",
      kind: "summary",
      seq: last,
      count: held.length,
      from_seq: first,
    }),
    content:
      `${held.length} more events for you arrived at once (${counts}; from ${who}), not shown one by one. ` +
      `Read them with masc_listen(agent_name: "${agent}", since: ${first - 1}, include: "all", timeout: 0).`,
  };
}
