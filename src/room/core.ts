import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { McpSession } from "../mcp/session";
import { McpSessions, type SessionHost } from "../mcp/sessions";
import type { RoomApi, RoomConfig } from "./api";
import { plainCodec, type TextCodec } from "./codec";
import { durableDb } from "./durable-db";
import { eventsAfter, lastSeq, type RoomEvent } from "./events";
import { nextDue, runDueJobs } from "./maintenance";
import { getMeta, setMeta } from "./meta";
import { isFor } from "./push";
import { migrate } from "./schema";
import { openEvent, RoomSockets } from "./sockets";
import type { Db } from "./sql";

export const VERSION = "0.1.0";

export function roomConfig(env: Env): RoomConfig {
  const zombie = Number(env.MASC_ZOMBIE_THRESHOLD_SEC);
  return { zombieThresholdMs: (Number.isFinite(zombie) && zombie > 0 ? zombie : 300) * 1000, version: VERSION };
}

/** Something that wants every new room event after it is committed (MCP sessions, WebSockets …). */
export type Listener = (events: readonly RoomEvent[]) => void;

/**
 * Everything a room is, apart from the Durable Object plumbing: its database, MCP sessions,
 * event fan-out and alarm bookkeeping.
 */
export class RoomCore implements RoomApi, SessionHost {
  readonly db: Db;
  readonly config: RoomConfig;
  readonly sessions: McpSessions;
  readonly sockets: RoomSockets;
  /** Receive every committed event, in order, with text already opened. */
  readonly listeners: Listener[] = [];
  codec: TextCodec = plainCodec;
  #name: string | undefined;
  #published: number;
  #alarmAt: number | null | undefined;
  #publishing: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: DurableObjectState,
    env: Env,
  ) {
    this.db = durableDb(state.storage);
    migrate(this.db);
    this.config = roomConfig(env);
    this.sessions = new McpSessions(this, VERSION);
    this.#published = lastSeq(this.db);
    this.#name = getMeta(this.db, "room_name");
    this.sockets = new RoomSockets(
      state,
      this.db,
      () => this.codec,
      () => this.name,
    );
    this.listeners.push(
      (events) => this.#pushToSessions(events),
      (events) => this.sockets.publish(events),
    );
  }

  get room(): RoomApi {
    return this;
  }

  get name(): string {
    return this.#name ?? "default";
  }

  /** The Worker names the room on every request; the first one is remembered. */
  nameFrom(header: string | null): void {
    if (header && header !== this.#name) {
      this.#name = header;
      setMeta(this.db, "room_name", header);
    }
  }

  afterCall(): void {
    void this.flush();
  }

  extendServer(_server: Server, _session: McpSession): void {}

  /**
   * Hands events committed since the last flush to every listener, then re-arms the alarm.
   * Publication is chained so listeners see events in seq order even though opening text is async.
   */
  flush(): Promise<void> {
    const events = eventsAfter(this.db, this.#published, 10_000);
    if (events.length > 0) {
      this.#published = events.at(-1)?.seq ?? this.#published;
      this.#publishing = this.#publishing.then(() => this.#publish(events));
    }
    this.#armAlarm(Date.now());
    return this.#publishing;
  }

  async #publish(events: readonly RoomEvent[]): Promise<void> {
    const codec = this.codec;
    const opened = await Promise.all(events.map((e) => openEvent(codec, e)));
    for (const listener of this.listeners) {
      try {
        listener(opened);
      } catch (err) {
        console.error("event listener failed", err);
      }
    }
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    runDueJobs(this.db, now, this.config);
    this.#alarmAt = undefined;
    await this.flush();
  }

  #armAlarm(now: number): void {
    const due = nextDue(this.db, now, this.config);
    if (due === this.#alarmAt) return;
    this.#alarmAt = due;
    if (due === null) void this.state.storage.deleteAlarm();
    else void this.state.storage.setAlarm(Math.max(due, now + 1));
  }

  #pushToSessions(events: readonly RoomEvent[]): void {
    for (const session of this.sessions.live) {
      for (const event of events) {
        if (!isFor(event, session.agent)) continue;
        void session.server.sendLoggingMessage({ level: "info", logger: "masc", data: event }, session.id).catch(() => undefined);
      }
    }
  }
}
