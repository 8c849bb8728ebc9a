import { type Audience, wants } from "../room/audience";
import { type Caller, expired, stillValid } from "../room/auth";
import type { TextCodec } from "../room/codec";
import { mayRegisterDaemon } from "../room/daemons";
import { eventsAfter, lastSeq, openEvent, type RoomEvent } from "../room/events";
import type { Db } from "../room/sql";

/** Who is on the other end of a socket; kept in the socket's attachment so it survives hibernation. */
export interface SocketInfo extends Audience {
  /** Extra registration data a socket sent later (e.g. a local-agent's machine and repository). */
  meta: Record<string, unknown>;
  /** A masc-agent channel's id: its permission requests are abandoned once no socket of it is left. */
  channel?: string;
}

export type ServerFrame =
  | { type: "welcome"; room: string; last_seq: number; since: number }
  | { type: "event"; event: RoomEvent }
  | { type: "error"; message: string }
  /** For dashboards: something shown changed without an event (a channel's prompts were abandoned). */
  | { type: "changed"; what: "permission_requests" };

const KINDS = new Set<SocketInfo["kind"]>(["client", "local-agent", "dashboard"]);
const REPLAY_PAGE = 500;

export function parseSocketQuery(url: URL, last: number): { info: SocketInfo; since: number } | string {
  const kind = (url.searchParams.get("kind") ?? "client") as SocketInfo["kind"];
  if (!KINDS.has(kind)) return "kind must be one of client, local-agent, dashboard";
  const agent = url.searchParams.get("agent");
  if (agent !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(agent)) return "agent must be 1-64 characters of letters, digits, '-' or '_'";
  const channel = url.searchParams.get("channel");
  if (channel !== null && !/^[A-Za-z0-9_-]{8,64}$/.test(channel)) return "channel must be 8-64 characters of letters, digits, '-' or '_'";
  const rawSince = url.searchParams.get("since");
  const since = rawSince === null ? last : Number(rawSince);
  if (!Number.isInteger(since) || since < 0) return "since must be a non-negative integer event seq";
  const info: SocketInfo = { kind, agent, meta: {}, caller: null };
  if (channel !== null) info.channel = channel;
  return { info, since };
}

/** Room WebSockets on the hibernation API: they survive the room sleeping and waking. */
export class RoomSockets {
  constructor(
    private readonly state: DurableObjectState,
    private readonly db: Db,
    private readonly codec: () => TextCodec,
    private readonly roomName: () => string,
  ) {
    state.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async accept(req: Request, caller: Caller | null = null): Promise<Response> {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: "upgrade_required", message: "connect with a WebSocket (Upgrade: websocket)" }, { status: 426 });
    }
    const last = lastSeq(this.db);
    const parsed = parseSocketQuery(new URL(req.url), last);
    if (typeof parsed === "string") return Response.json({ error: "invalid_input", message: parsed }, { status: 400 });
    if (caller && caller.role !== "admin" && parsed.info.agent !== null && parsed.info.agent !== caller.agent) {
      return Response.json(
        { error: "forbidden", message: `your token is for ${caller.agent}; you cannot listen as ${parsed.info.agent}` },
        { status: 403 },
      );
    }
    if (parsed.info.kind === "local-agent" && !mayRegisterDaemon(caller)) {
      return Response.json(
        {
          error: "forbidden",
          message:
            "a masc-agent daemon needs an admin token or a worker token for the agent it serves; a reader or anonymous caller cannot be one",
        },
        { status: 403 },
      );
    }
    const { 0: client, 1: server } = new WebSocketPair();
    parsed.info.caller = caller;
    const tags = [`kind:${parsed.info.kind}`];
    if (parsed.info.agent) tags.push(`agent:${parsed.info.agent}`);
    if (parsed.info.channel) tags.push(`channel:${parsed.info.channel}`);
    this.state.acceptWebSocket(server, tags);
    server.serializeAttachment(parsed.info);
    this.send(server, { type: "welcome", room: this.roomName(), last_seq: last, since: parsed.since });
    await this.replay(server, parsed.info, parsed.since);
    return new Response(null, { status: 101, webSocket: client });
  }

  info(ws: WebSocket): SocketInfo {
    return (ws.deserializeAttachment() as SocketInfo | null) ?? { kind: "client", agent: null, meta: {} };
  }

  setInfo(ws: WebSocket, info: SocketInfo): void {
    ws.serializeAttachment(info);
  }

  /** Client, daemon and dashboard sockets (not the Worker's relays, which carry MCP streams). */
  all(kind?: SocketInfo["kind"]): WebSocket[] {
    if (kind) return this.state.getWebSockets(`kind:${kind}`);
    return [...KINDS].flatMap((k) => this.state.getWebSockets(`kind:${k}`));
  }

  /** Whether a masc-agent channel still has a socket open to the room. */
  channelLive(channel: string): boolean {
    return this.state.getWebSockets(`channel:${channel}`).length > 0;
  }

  /**
   * A socket is gone. When it was a channel's last, that channel's open prompts now show as
   * abandoned, which no event announces (decision 0040): dashboards are told to redraw.
   */
  closed(ws: WebSocket, now: number): void {
    const channel = this.info(ws).channel;
    if (!channel) return;
    const others = this.state.getWebSockets(`channel:${channel}`).filter((w) => w !== ws && w.readyState === WebSocket.OPEN);
    if (others.length) return;
    const open = this.db.one<{ n: number }>(
      "SELECT COUNT(*) AS n FROM permission_requests WHERE channel = ? AND state = 'pending' AND expires_at > ?",
      channel,
      now,
    );
    if (!open?.n) return;
    for (const d of this.all("dashboard")) this.send(d, { type: "changed", what: "permission_requests" });
  }

  send(ws: WebSocket, frame: ServerFrame | Record<string, unknown>): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // A socket closing under us is not an error of the room.
    }
  }

  /** Sends everything after `since` to one socket, then it continues with live events. */
  async replay(ws: WebSocket, info: SocketInfo, since: number): Promise<void> {
    let cursor = since;
    for (;;) {
      const page = eventsAfter(this.db, cursor, REPLAY_PAGE);
      for (const event of page) {
        if (wants(info, event)) this.send(ws, { type: "event", event: await openEvent(this.codec(), event) });
      }
      if (page.length < REPLAY_PAGE) return;
      cursor = page.at(-1)?.seq ?? cursor;
    }
  }

  /**
   * Closes every socket whose credential would no longer be let in: after an auth change (`full`,
   * asks the database) or, before each publish, those whose token expired (from the socket alone).
   */
  closeInvalid(now: number, full = true): number {
    let closed = 0;
    for (const ws of this.all()) {
      const caller = this.info(ws).caller;
      if (full ? stillValid(this.db, now, caller ?? null) : !expired(caller, now)) continue;
      try {
        ws.close(4401, "credential no longer valid: reconnect with a current token");
      } catch {
        // Already closing.
      }
      closed++;
    }
    return closed;
  }

  /** Live fan-out of committed (already opened) events. */
  publish(events: readonly RoomEvent[]): void {
    for (const ws of this.all()) {
      const info = this.info(ws);
      for (const event of events) if (wants(info, event)) this.send(ws, { type: "event", event });
    }
  }
}
