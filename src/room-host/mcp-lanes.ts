import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { changedResources, ModernLane } from "../mcp/modern/lane";
import { stampedUpdate } from "../mcp/modern/listen-handoff";
import { SessionPush } from "../mcp/push";
import { registerResources } from "../mcp/resources";
import type { RoomApi } from "../mcp/room-port";
import type { McpSession } from "../mcp/session";
import { McpSessions, type SessionHost } from "../mcp/sessions";
import type { TextCodec } from "../room/codec";
import type { RoomEvent } from "../room/events";
import type { Db } from "../room/sql";
import { CLOSE } from "../wire/relay-frames";
import { VERSION } from "../wire/version";
import type { RoomRelay } from "./relay";

/** What the MCP lanes need of the room they serve. */
export interface LaneRoom {
  readonly db: Db;
  readonly room: RoomApi;
  readonly codec: TextCodec;
  flush(): Promise<void>;
  observe(tool: string, ms: number, outcome: "ok" | "error"): void;
  /** Runs a session's catch-up after the publications under way, before any later one. */
  afterPublished(catchUp: () => Promise<void>): Promise<void>;
}

/**
 * Both MCP lanes of one room on the same URL: the 2025-era sessions and the 2026-07-28 stateless
 * lane, wired to the room below and to the Worker's relay of GET streams (decision 0019). This is
 * the host's side of the ports mcp/ declares (SessionHost, ModernHost).
 */
export class McpLanes implements SessionHost {
  readonly db: Db;
  readonly room: RoomApi;
  readonly sessions: McpSessions;
  /** 2026-07-28 requests: stateless, beside the 2025-era sessions on the same URL. */
  readonly modern: ModernLane;
  readonly push: SessionPush;

  constructor(
    private readonly core: LaneRoom,
    private readonly relay: RoomRelay,
    fixtures: boolean,
  ) {
    this.db = core.db;
    this.room = core.room;
    this.sessions = new McpSessions(this, VERSION);
    this.push = new SessionPush(
      this.db,
      () => core.codec,
      (sid) => relay.streaming(sid),
      (sid, id, message) => relay.deliver(sid, id, message),
    );
    this.modern = new ModernLane(this, VERSION, { fixtures });
  }

  /**
   * After waking, the sessions whose GET streams the Worker still relays are rebuilt before any
   * request runs, so the next event reaches them (with what they missed first) on the same stream.
   */
  restoreRelayed(state: DurableObjectState): void {
    const relayed = this.relay.streamingSessions();
    if (relayed.length === 0) return;
    void state.blockConcurrencyWhile(async () => {
      for (const id of relayed) {
        const session = await this.sessions.find(id).catch((err) => console.error("restoring a relayed session failed", err));
        if (!session) this.relay.end(id, CLOSE.sessionGone, "session not found");
      }
    });
  }

  /** Tells the Worker's 2026-07-28 listen streams which resources the events changed. */
  tellSubscriptions(events: readonly RoomEvent[]): void {
    this.relay.tellSubscriptions(events, changedResources, stampedUpdate);
  }

  afterCall(): void {
    void this.core.flush();
  }

  observe(tool: string, ms: number, outcome: "ok" | "error"): void {
    this.core.observe(tool, ms, outcome);
  }

  extendServer(server: Server, session: McpSession): void {
    this.push.attach(session);
    registerResources(server, session, this);
  }

  pushPosition(session: McpSession) {
    return this.push.position(session);
  }

  /** A session rebuilt after eviction first gets, in order, what it missed while it was gone. */
  onRestored(session: McpSession): Promise<void> {
    return this.core.afterPublished(() => this.push.catchUp(session));
  }

  deliver(sessionId: string, id: string, message: JSONRPCMessage): void {
    this.relay.deliver(sessionId, id, message);
  }

  streaming(sessionId: string): boolean {
    return this.relay.streaming(sessionId);
  }

  askAnswered(id: string): void {
    this.relay.wakeAsk(id);
  }

  sessionClosed(sessionId: string): void {
    this.relay.end(sessionId, CLOSE.sessionGone, "session deleted");
  }
}
