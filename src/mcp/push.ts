import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { TextCodec } from "../room/codec";
import { markDeliveredAll } from "../room/cursors";
import { eventsAfter, lastSeq, openEvent, type RoomEvent } from "../room/events";
import { isFor } from "../room/push";
import type { Db } from "../room/sql";
import { eventLog, type PushPosition } from "./event-store";
import type { McpSession } from "./session";

/** Resources a session can subscribe to, and which events change each. */
export const WATCHED: Record<string, (e: RoomEvent) => boolean> = {
  "room://events": () => true,
  "masc://events": () => true,
  "masc://status": () => true,
  "masc://messages": (e) => e.kind === "broadcast" || e.kind === "portal_message",
  "masc://tasks": (e) => e.kind.startsWith("task_"),
  "masc://agents": (e) => e.kind.startsWith("agent_"),
};

const PAGE = 500;

/** A room event's notification, built once per publish however many sessions get it. */
class EventFrames {
  readonly #frames = new Map<number, JSONRPCMessage>();

  of(event: RoomEvent): JSONRPCMessage {
    let frame = this.#frames.get(event.seq);
    if (!frame) {
      frame = { jsonrpc: "2.0", method: "notifications/message", params: eventLog(event) };
      this.#frames.set(event.seq, frame);
    }
    return frame;
  }
}

interface PushState {
  pushed: number;
  subscriptions: Set<string>;
}

/**
 * Room events to MCP sessions, on their GET streams: `notifications/message` for every event
 * meant for the session's agent, `notifications/resources/updated` for subscribed resources.
 * Each session keeps a pushed-up-to seq in SQLite, so a session rebuilt after eviction is first
 * handed what it missed while it was not in memory, and nothing is handed twice; what was handed
 * while no stream was open is rebuilt from the room's events on `Last-Event-ID` (see SqlEventStore).
 */
export class SessionPush {
  readonly #state = new WeakMap<McpSession, PushState>();

  constructor(
    private readonly db: Db,
    private readonly codec: () => TextCodec,
    /** Whether the session's client holds its GET stream open right now (through the Worker's relay). */
    private readonly streaming: (sessionId: string) => boolean,
    /** Hands a message of the session's GET stream, with its event id, to the relay socket (if one is open). */
    private readonly deliver: (sessionId: string, id: string, message: JSONRPCMessage) => void,
  ) {}

  /** A session was built (new or restored): load or create its push row. */
  attach(session: McpSession): void {
    this.db.run(
      "INSERT INTO session_push (session_id, pushed_seq) VALUES (?, ?) ON CONFLICT (session_id) DO NOTHING",
      session.id,
      lastSeq(this.db),
    );
    const row = this.db.one<{ pushed_seq: number; subscriptions: string }>("SELECT * FROM session_push WHERE session_id = ?", session.id);
    const subscriptions = new Set(JSON.parse(row?.subscriptions ?? "[]") as string[]);
    for (const uri of subscriptions) session.subscriptions.add(uri);
    this.#state.set(session, { pushed: row?.pushed_seq ?? 0, subscriptions: session.subscriptions });
  }

  subscribe(session: McpSession, uri: string, on: boolean): void {
    if (on) session.subscriptions.add(uri);
    else session.subscriptions.delete(uri);
    this.db.run("UPDATE session_push SET subscriptions = ? WHERE session_id = ?", JSON.stringify([...session.subscriptions]), session.id);
  }

  /** Live fan-out of committed, opened events, with one write for every session's cursor. */
  publish(sessions: Iterable<McpSession>, events: readonly RoomEvent[]): void {
    const last = events.at(-1)?.seq;
    if (last === undefined) return;
    const moved: string[] = [];
    const delivered = new Set<string>();
    const frames = new EventFrames();
    for (const session of sessions) if (this.#hand(session, events, delivered, frames)) moved.push(session.id);
    this.#savePushed(moved, last);
    markDeliveredAll(this.db, delivered, last);
  }

  /** What the event store needs to rebuild this session's pushes on `Last-Event-ID`. */
  position(session: McpSession): PushPosition | undefined {
    const state = this.#state.get(session);
    if (!state) return undefined;
    return {
      pushed: () => state.pushed,
      handedAfter: async (after) => {
        const out: RoomEvent[] = [];
        if (!session.hears("info")) return out;
        for await (const page of this.#pages(after, state.pushed)) out.push(...page.filter((e) => isFor(e, session.agent)));
        return out;
      },
    };
  }

  /** Hands a restored session, in order, what it missed while it was not in memory. */
  async catchUp(session: McpSession): Promise<void> {
    const state = this.#state.get(session);
    if (!state) return;
    for await (const opened of this.#pages(state.pushed, Number.POSITIVE_INFINITY)) {
      const delivered = new Set<string>();
      const sent = this.#hand(session, opened, delivered, new EventFrames());
      if (sent) {
        const last = opened.at(-1)?.seq ?? 0;
        this.#savePushed([session.id], last);
        markDeliveredAll(this.db, delivered, last);
        await sent;
      }
    }
  }

  /** Room events in (after, upTo], opened, a page at a time. */
  async *#pages(after: number, upTo: number): AsyncGenerator<RoomEvent[]> {
    const codec = this.codec();
    for (let from = after; from < upTo; ) {
      const page = eventsAfter(this.db, from, PAGE).filter((e) => e.seq <= upTo);
      const last = page.at(-1);
      if (!last) return;
      from = last.seq;
      yield await Promise.all(page.map((e) => openEvent(codec, e)));
      if (page.length < PAGE) return;
    }
  }

  #savePushed(sessionIds: readonly string[], seq: number): void {
    if (sessionIds.length === 0) return;
    this.db.run(
      "UPDATE session_push SET pushed_seq = MAX(pushed_seq, ?) WHERE session_id IN (SELECT value FROM json_each(?))",
      seq,
      JSON.stringify(sessionIds),
    );
  }

  /**
   * Hands the session the events it has not had yet; returns the sends, or null when none of them
   * were for it (its stored cursor then need not move: a restore re-checks who each event is for).
   * Adds its agent to `delivered` when the events reach an open stream.
   */
  #hand(session: McpSession, events: readonly RoomEvent[], delivered: Set<string>, frames: EventFrames): Promise<unknown> | null {
    const state = this.#state.get(session);
    if (!state) return null;
    const fresh = events.filter((e) => e.seq > state.pushed);
    const last = fresh.at(-1);
    if (!last) return null;
    state.pushed = last.seq;
    const mine = fresh.filter((e) => isFor(e, session.agent));
    if (mine.length === 0) return null;
    const hears = session.hears("info");
    // GET streams are held by the Worker (decision 0019), never by the session's transport: a room
    // event goes straight to the relay under the id the event store gives it (`e<seq>`), without
    // the SDK's send path (a promise and a store call per session and event).
    if (hears) for (const e of mine) this.deliver(session.id, `e${e.seq}`, frames.of(e));
    const sends: Promise<unknown>[] = [];
    for (const uri of state.subscriptions) {
      const changed = WATCHED[uri.split("?")[0] ?? uri];
      if (changed && mine.some(changed)) sends.push(session.server.sendResourceUpdated({ uri }).catch(() => undefined));
    }
    if (hears && session.agent && this.streaming(session.id)) delivered.add(session.agent);
    return Promise.all(sends);
  }
}
