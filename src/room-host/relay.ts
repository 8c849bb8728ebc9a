import type { Caller } from "../room/auth";
import type { RoomEvent } from "../room/events";
import { type ListenScope, listenMatches } from "../room/messages";
import { canSee, viewerOf } from "../room/visibility";
import {
  CLOSE,
  closeQuietly,
  encodeFrame,
  encodeSseBatch,
  joinFrames,
  type ListenWait,
  type Subscription,
  WAKE,
} from "../wire/relay-frames";
import { sseEvent } from "../wire/sse";

/** What a relay socket serves; kept in its attachment, so it survives hibernation. */
type RelayInfo =
  | { relay: "sse"; session: string; rid: string; caller: Caller | null }
  | { relay: "subscription"; rid: string; caller: Caller | null; id: string | number; uris: string[] }
  | ({ relay: "listen"; rid: string; caller: Caller | null; woken?: boolean } & Omit<ListenWait, "timeout_ms">);

const RELAY_TAG = "relay";
const SSE_TAG = "relay:sse";
const LISTEN_TAG = "relay:listen";
const SUBSCRIPTION_TAG = "relay:subscription";
const FRAME_CACHE = 256;

interface Pending {
  frames: Array<{ id: string; frame: string }>;
}

function send(ws: WebSocket, frame: string | Uint8Array): void {
  try {
    ws.send(frame);
  } catch {
    // A socket closing under us is not an error of the room.
  }
}

/**
 * The room's end of the Worker's relays (decision 0019): one hibernatable WebSocket per open GET
 * stream, and one per masc_listen wait. Nothing here holds a request open, so the room sleeps
 * while its agents wait; the maps below are rebuilt from the sockets' attachments on waking.
 */
export class RoomRelay {
  #streams: Map<string, { ws: WebSocket; rid: string }> | null = null;
  #listeners: Map<WebSocket, RelayInfo & { relay: "listen" }> | null = null;
  /** Sessions whose stream is replaying: live messages queue here until the replay is out. */
  readonly #replaying = new Map<string, Pending>();
  /** Recently encoded room-event SSE events, by event id. */
  readonly #frames = new Map<string, Uint8Array>();
  /** Live messages of this turn per stream socket, sent as one binary message each once the publication is out. */
  readonly #sseOut = new Map<WebSocket, { events: Uint8Array[]; size: number; lastId: string }>();
  /** Live frames of this turn per listen-stream socket. */
  readonly #textOut = new Map<WebSocket, string[]>();
  #draining = false;

  constructor(private readonly state: DurableObjectState) {}

  /** Whether this socket is a relay (and so not a client, daemon or dashboard socket). */
  owns(ws: WebSocket): boolean {
    return this.state.getTags(ws).includes(RELAY_TAG);
  }

  /** Sessions with a GET stream open through the Worker. */
  streamingSessions(): string[] {
    return [...this.#streamMap().keys()];
  }

  streaming(sessionId: string): boolean {
    return this.#streamMap().has(sessionId) || this.#replaying.has(sessionId);
  }

  /** Agents waiting in masc_listen through the Worker. */
  listening(): string[] {
    // A wait for an approval question's answer is not listening for messages.
    return [...this.#listenMap().values()].filter((l) => l.ask === undefined).map((l) => l.agent);
  }

  /** One message of a session's GET stream, sent on its relay socket if it has one. */
  deliver(sessionId: string, id: string, message: unknown): void {
    const pending = this.#replaying.get(sessionId);
    const stream = pending ? undefined : this.#streamMap().get(sessionId);
    if (pending) pending.frames.push({ id, frame: encodeFrame(id, JSON.stringify(message)) });
    else if (stream) this.#queueSse(stream.ws, id, this.#encode(id, message));
  }

  /**
   * Accepts a session's GET stream relay. A newer stream of the session replaces the older one at
   * once (a client whose stream dropped reconnects without waiting). `start` replays or primes the
   * stream; what the session is handed meanwhile follows it, without what the replay already sent.
   */
  async openStream(
    sessionId: string,
    caller: Caller | null,
    start: (send: (id: string, json: string) => void) => Promise<void>,
  ): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    const rid = crypto.randomUUID();
    this.state.acceptWebSocket(server, [RELAY_TAG, SSE_TAG, `session:${sessionId}`]);
    server.serializeAttachment({ relay: "sse", session: sessionId, rid, caller } satisfies RelayInfo);
    const streams = this.#streamMap();
    const older = streams.get(sessionId);
    if (older) closeQuietly(older.ws, CLOSE.replaced, "a newer stream of this session took over");
    streams.delete(sessionId);
    const pending: Pending = { frames: [] };
    this.#replaying.set(sessionId, pending);
    const sent = new Set<string>();
    try {
      await start((id, json) => {
        sent.add(id);
        send(server, encodeFrame(id, json));
      });
    } catch (err) {
      if (this.#replaying.get(sessionId) === pending) this.#replaying.delete(sessionId);
      closeQuietly(server, 1011, "replay failed");
      throw err;
    } finally {
      if (this.#replaying.get(sessionId) === pending) {
        this.#replaying.delete(sessionId);
        for (const f of pending.frames) if (!sent.has(f.id)) send(server, f.frame);
        streams.set(sessionId, { ws: server, rid });
      } else {
        closeQuietly(server, CLOSE.replaced, "a newer stream of this session took over");
      }
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Accepts a masc_listen wait; `ready` says a matching event is already there. */
  openListen(wait: ListenWait, caller: Caller | null, ready: boolean): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    const info: RelayInfo & { relay: "listen" } = {
      relay: "listen",
      rid: crypto.randomUUID(),
      caller,
      agent: wait.agent,
      after: wait.after,
      scope: wait.scope,
    };
    if (wait.ask !== undefined) info.ask = wait.ask;
    this.state.acceptWebSocket(server, [RELAY_TAG, LISTEN_TAG, `agent:${wait.agent}`]);
    server.serializeAttachment(info);
    if (ready) send(server, WAKE);
    else this.#listenMap().set(server, info);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Accepts a 2026-07-28 listen stream the Worker holds; `missed` are the changes since the room
   * handed it over, told at once so nothing falls between the hand-over and this socket.
   */
  openSubscription(
    subscription: Subscription,
    caller: Caller | null,
    missed: { uris: readonly string[]; seq: number },
    encode: (uri: string, id: string | number) => string,
  ): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    const uris = subscription.honored.resourceSubscriptions ?? [];
    const info = { relay: "subscription", rid: crypto.randomUUID(), caller, id: subscription.id, uris } satisfies RelayInfo;
    this.state.acceptWebSocket(server, [RELAY_TAG, SUBSCRIPTION_TAG]);
    server.serializeAttachment(info);
    for (const uri of missed.uris) if (uris.includes(uri)) send(server, encodeFrame(String(missed.seq), encode(uri, subscription.id)));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Tells every relayed listen stream watching a changed resource; each frame carries the seq it
   * covers. A stream hears only of changes its opener may see: a portal message between two others
   * does not tell a reader that `masc://messages` changed.
   */
  tellSubscriptions(
    events: readonly RoomEvent[],
    changedBy: (visible: readonly RoomEvent[]) => string[],
    encode: (uri: string, id: string | number) => string,
  ): void {
    const seq = events.at(-1)?.seq;
    if (seq === undefined) return;
    for (const ws of this.state.getWebSockets(SUBSCRIPTION_TAG)) {
      const info = ws.deserializeAttachment() as RelayInfo | null;
      if (info?.relay !== "subscription") continue;
      const viewer = viewerOf(info.caller ?? null);
      const changed = changedBy(events.filter((e) => canSee(viewer, e)));
      for (const uri of changed) if (info.uris.includes(uri)) this.#queueText(ws, encodeFrame(String(seq), encode(uri, info.id)));
    }
  }

  /** Wakes every masc_listen wait a committed event matches; each is woken once. */
  wake(events: readonly RoomEvent[]): void {
    const listeners = this.#listenMap();
    for (const [ws, l] of listeners) {
      if (l.ask !== undefined || !events.some((e) => e.seq > l.after && listenMatches(e, l.agent, l.scope as ListenScope))) continue;
      send(ws, WAKE);
      listeners.delete(ws);
      // Until the Worker closes it, a woken socket must not count as waiting after the room wakes again.
      ws.serializeAttachment({ ...l, woken: true });
    }
  }

  /** Wakes the Worker's wait for an approval question's answer. */
  wakeAsk(id: string): void {
    for (const [ws, l] of this.#listenMap()) {
      if (l.ask !== id) continue;
      send(ws, WAKE);
      this.#listenMap().delete(ws);
      ws.serializeAttachment({ ...l, woken: true });
    }
  }

  /** Ends a session's stream, e.g. when the session is deleted. */
  end(sessionId: string, code: number, reason: string): void {
    const stream = this.#streamMap().get(sessionId);
    if (!stream) return;
    this.#streams?.delete(sessionId);
    closeQuietly(stream.ws, code, reason);
  }

  /** Closes every relay socket whose opener `drop` says no longer holds (e.g. a revoked token). */
  endWhere(drop: (caller: Caller | null) => boolean, code: number, reason: string): number {
    let ended = 0;
    for (const ws of this.state.getWebSockets(RELAY_TAG)) {
      const info = ws.deserializeAttachment() as RelayInfo | null;
      if (!info || !drop(info.caller ?? null)) continue;
      this.#forget(ws, code, reason);
      ended++;
    }
    return ended;
  }

  /** A relay socket closed (the Worker is done with it, or the connection broke). */
  closed(ws: WebSocket): void {
    this.#forget(ws);
  }

  #forget(ws: WebSocket, code?: number, reason?: string): void {
    const info = ws.deserializeAttachment() as RelayInfo | null;
    if (info?.relay === "sse" && this.#streams?.get(info.session)?.rid === info.rid) this.#streams.delete(info.session);
    if (info?.relay === "listen" && this.#listeners) {
      for (const [other, l] of this.#listeners) if (l.rid === info.rid) this.#listeners.delete(other);
    }
    if (code !== undefined) closeQuietly(ws, code, reason ?? "");
  }

  /**
   * Every frame a publication hands a socket goes out in one message, at the end of the turn: the
   * per-message cost (room and Worker) is paid once per stream, not once per event. A socket closed
   * meanwhile (revoked, replaced) gets nothing: send on it fails quietly.
   */
  #queueSse(ws: WebSocket, id: string, event: Uint8Array): void {
    let out = this.#sseOut.get(ws);
    if (!out) {
      this.#scheduleDrain();
      out = { events: [], size: 0, lastId: id };
      this.#sseOut.set(ws, out);
    }
    out.events.push(event);
    out.size += event.length;
    out.lastId = id;
  }

  #queueText(ws: WebSocket, frame: string): void {
    let frames = this.#textOut.get(ws);
    if (!frames) {
      this.#scheduleDrain();
      frames = [];
      this.#textOut.set(ws, frames);
    }
    frames.push(frame);
  }

  #scheduleDrain(): void {
    if (this.#draining) return;
    this.#draining = true;
    queueMicrotask(() => {
      this.#draining = false;
      for (const [ws, out] of this.#sseOut) send(ws, encodeSseBatch(out.lastId, out.events.length, out.events, out.size));
      for (const [ws, frames] of this.#textOut) send(ws, joinFrames(frames));
      this.#sseOut.clear();
      this.#textOut.clear();
    });
  }

  /**
   * A room event's SSE event is the same for every session it goes to, so it is encoded once per
   * publish, not once per stream; other messages (resource updates …) are per session.
   */
  #encode(id: string, message: unknown): Uint8Array {
    if (!id.startsWith("e")) return sseEvent({ id, data: JSON.stringify(message) });
    let frame = this.#frames.get(id);
    if (frame === undefined) {
      frame = sseEvent({ id, data: JSON.stringify(message) });
      this.#frames.set(id, frame);
      if (this.#frames.size > FRAME_CACHE) this.#frames.delete(this.#frames.keys().next().value as string);
    }
    return frame;
  }

  #streamMap(): Map<string, { ws: WebSocket; rid: string }> {
    if (!this.#streams) {
      this.#streams = new Map();
      for (const ws of this.state.getWebSockets(SSE_TAG)) {
        const info = ws.deserializeAttachment() as RelayInfo | null;
        if (info?.relay === "sse") this.#streams.set(info.session, { ws, rid: info.rid });
      }
    }
    return this.#streams;
  }

  #listenMap(): Map<WebSocket, RelayInfo & { relay: "listen" }> {
    if (!this.#listeners) {
      this.#listeners = new Map();
      for (const ws of this.state.getWebSockets(LISTEN_TAG)) {
        const info = ws.deserializeAttachment() as RelayInfo | null;
        if (info?.relay === "listen" && !info.woken) this.#listeners.set(ws, info);
      }
    }
    return this.#listeners;
  }
}
