import { backoffMs, seconds } from "../cli/backoff.ts";
import type { RoomEvent } from "./events.ts";

export interface FeedOptions {
  url: string;
  room: string;
  agent: string;
  channel: string;
  token: () => string | undefined;
  /** A new token when the room closed the socket for its credential (an OAuth access token expired). */
  renew?: () => Promise<unknown>;
  /** Where to resume: the last seq handled, or null to start at the room's newest. */
  since: () => number | null;
  onWelcome: (lastSeq: number) => void;
  onEvent: (e: RoomEvent) => void;
  log: (line: string) => void;
}

const PING_EVERY_MS = 20_000;
/** No frame, not even the pong, for this long after a ping: the link is dead (a sleeping laptop). */
const SILENCE_LIMIT_MS = 10_000;

/**
 * The room's WebSocket as this agent, with its credential: the room sends only what the agent
 * may see and what is for it (decision 0014), replaying after `since` on every (re)connect.
 */
export class Feed {
  #ws: WebSocket | null = null;
  #stopped = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ping: ReturnType<typeof setInterval> | null = null;
  #lostAt: number | null = null;
  #renewing: Promise<unknown> | null = null;
  private readonly o: FeedOptions;

  constructor(o: FeedOptions) {
    this.o = o;
  }

  start(): void {
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ping) clearInterval(this.#ping);
    this.#ws?.close();
    this.#ws = null;
  }

  /** Drops the link as a network failure would; the feed reconnects and resumes (for tests and bench). */
  drop(): void {
    this.#ws?.close();
  }

  #socketUrl(): string {
    const u = new URL(`${this.o.url.replace(/^http/, "ws")}/r/${encodeURIComponent(this.o.room)}/ws`);
    u.searchParams.set("kind", "client");
    u.searchParams.set("agent", this.o.agent);
    u.searchParams.set("channel", this.o.channel);
    const since = this.o.since();
    if (since !== null) u.searchParams.set("since", String(since));
    const token = this.o.token();
    if (token) u.searchParams.set("token", token);
    return u.toString();
  }

  #connect(): void {
    if (this.#stopped) return;
    if (this.#renewing) {
      const renewing = this.#renewing;
      this.#renewing = null;
      void renewing.catch(() => undefined).then(() => this.#connect());
      return;
    }
    const ws = new WebSocket(this.#socketUrl());
    this.#ws = ws;
    let lastFrame = Date.now();
    ws.addEventListener("open", () => {
      if (this.#lostAt !== null) this.o.log(`masc-agent channel: back in room ${this.o.room} after ${seconds(Date.now() - this.#lostAt)}`);
      this.#lostAt = null;
      this.#attempt = 0;
      lastFrame = Date.now();
      this.#ping = setInterval(() => {
        if (Date.now() - lastFrame > PING_EVERY_MS + SILENCE_LIMIT_MS) return lost("the room stopped answering");
        try {
          ws.send("ping");
        } catch {
          // Closing already; the close handler reconnects.
        }
      }, PING_EVERY_MS);
    });
    ws.addEventListener("message", (m) => {
      lastFrame = Date.now();
      if (m.data === "pong") return;
      let frame: { type?: string; last_seq?: unknown; event?: RoomEvent; message?: unknown };
      try {
        frame = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (frame.type === "welcome") this.o.onWelcome(Number(frame.last_seq));
      else if (frame.type === "event" && frame.event) this.o.onEvent(frame.event);
      else if (frame.type === "error") this.o.log(`masc-agent channel: room says: ${String(frame.message)}`);
    });
    const lost = (why: string) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      try {
        ws.close();
      } catch {
        // Already closing.
      }
      if (this.#ping) clearInterval(this.#ping);
      this.#ping = null;
      if (this.#stopped) return;
      const wait = backoffMs(this.#attempt++);
      if (this.#lostAt === null) {
        this.#lostAt = Date.now();
        this.o.log(`masc-agent channel: link to room ${this.o.room} lost (${why}); reconnecting`);
      }
      this.#timer = setTimeout(() => this.#connect(), wait);
    };
    ws.addEventListener("close", (e) => {
      // 4401: the credential ended (decision 0011); an OAuth session gets a new one first.
      if (e.code === 4401 && this.o.renew && this.#ws === ws) this.#renewing = this.o.renew();
      lost(e.reason || `closed (${e.code})`);
    });
    // Node's WebSocket fires error without close on a refused connection.
    ws.addEventListener("error", () => lost("could not connect"));
  }
}
