import type { TextCodec } from "../room/codec";
import { markDelivered } from "../room/cursors";
import { eventsAfter, lastSeq, openEvent, type RoomEvent } from "../room/events";
import { isFor } from "../room/push";
import type { Db } from "../room/sql";
import { GET_STREAM } from "./event-store";
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

/** Whether the session's client holds its GET stream open right now (SDK-internal field). */
export function isStreaming(session: McpSession): boolean {
  const mapping = (session.transport as unknown as { _streamMapping?: Map<string, unknown> })._streamMapping;
  return mapping?.has(GET_STREAM) ?? false;
}

interface PushState {
  pushed: number;
  subscriptions: Set<string>;
}

/**
 * Room events to MCP sessions, on their GET streams: `notifications/message` for every event
 * meant for the session's agent, `notifications/resources/updated` for subscribed resources.
 * Each session keeps a pushed-up-to seq in SQLite, so a session rebuilt after eviction is first
 * sent what it missed while it was not in memory (stored for its Last-Event-ID replay), and
 * nothing is sent twice.
 */
export class SessionPush {
  readonly #state = new WeakMap<McpSession, PushState>();

  constructor(
    private readonly db: Db,
    private readonly codec: () => TextCodec,
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

  /** Live fan-out of committed, opened events. */
  publish(sessions: Iterable<McpSession>, events: readonly RoomEvent[]): void {
    for (const session of sessions) void this.#send(session, events);
  }

  /** Sends what a restored session missed; resolves once it is stored for replay. */
  async catchUp(session: McpSession): Promise<void> {
    const state = this.#state.get(session);
    if (!state) return;
    const codec = this.codec();
    for (;;) {
      const page = eventsAfter(this.db, state.pushed, 500);
      if (page.length === 0) return;
      const opened = await Promise.all(page.map((e) => openEvent(codec, e)));
      await this.#send(session, opened);
      if (page.length < 500) return;
    }
  }

  async #send(session: McpSession, events: readonly RoomEvent[]): Promise<void> {
    const state = this.#state.get(session);
    if (!state) return;
    const fresh = events.filter((e) => e.seq > state.pushed);
    const last = fresh.at(-1);
    if (!last) return;
    state.pushed = last.seq;
    const mine = fresh.filter((e) => isFor(e, session.agent));
    // The stored cursor only matters for a restore, which re-checks who each event is for, so it
    // need not move for events this session would not get anyway.
    if (mine.length === 0) return;
    this.db.run("UPDATE session_push SET pushed_seq = MAX(pushed_seq, ?) WHERE session_id = ?", last.seq, session.id);
    const hears = session.hears("info");
    const sends: Promise<unknown>[] = hears
      ? mine.map((e) => session.server.sendLoggingMessage({ level: "info", logger: "masc", data: e }, session.id).catch(() => undefined))
      : [];
    for (const uri of state.subscriptions) {
      const changed = WATCHED[uri.split("?")[0] ?? uri];
      if (changed && mine.some(changed)) sends.push(session.server.sendResourceUpdated({ uri }).catch(() => undefined));
    }
    if (hears && session.agent && isStreaming(session)) markDelivered(this.db, session.agent, last.seq);
    await Promise.all(sends);
  }
}
