import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { ASK_PREFIX, askSettled } from "../mcp/approval-asks";
import { AGENT_NAME_RE } from "../mcp/fields";
import { changedResources } from "../mcp/modern/lane";
import { stampedUpdate } from "../mcp/modern/listen-handoff";
import type { McpSessions } from "../mcp/sessions";
import type { Caller } from "../room/auth";
import { eventsAfter } from "../room/events";
import { hasListenMatch } from "../room/messages";
import type { Db } from "../room/sql";
import { canSee, viewerOf } from "../room/visibility";
import { type ListenWait, RELAY_HEADER, SUBSCRIBE_HEADER, type Subscription, WAIT_HEADER } from "../wire/relay-frames";
import type { RoomRelay } from "./relay";

/** What opening a relay needs of the room. */
export interface RelayRoom {
  readonly db: Db;
  readonly sessions: McpSessions;
  readonly relay: RoomRelay;
}

function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

/**
 * The room's side of the Worker's relays (decision 0019): a session's GET stream, or a masc_listen
 * wait, each on its own hibernatable WebSocket. Only the Worker opens these (it sets the relay
 * header and strips it from clients); the caller was authenticated like any room request.
 */
export async function openRelay(core: RelayRoom, req: Request, caller: Caller | null): Promise<Response> {
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return Response.json({ error: "upgrade_required", message: "relays are WebSockets" }, { status: 426 });
  }
  const kind = req.headers.get(RELAY_HEADER);
  if (kind === "sse") return openStream(core, req, caller);
  if (kind === "listen") return openListen(core, req, caller);
  if (kind === "subscription") return openSubscription(core, req, caller);
  return Response.json({ error: "not_found", message: "no such relay" }, { status: 404 });
}

async function openStream(core: RelayRoom, req: Request, caller: Caller | null): Promise<Response> {
  const sid = req.headers.get("mcp-session-id") ?? "";
  const version = req.headers.get("mcp-protocol-version");
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return rpcError(
      400,
      -32000,
      `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
    );
  }
  const session = await core.sessions.find(sid);
  if (!session) return rpcError(404, -32001, "Session not found");
  const admitted = session.admits(caller);
  if (admitted === "ended") {
    core.sessions.forget(session);
    return rpcError(404, -32001, "Session not found: it was opened before auth was turned on; initialize again with your token");
  }
  if (admitted === "forbidden") {
    return rpcError(403, -32000, "Forbidden: this session was opened with another identity; initialize a session of your own");
  }
  const lastEventId = req.headers.get("last-event-id");
  return core.relay.openStream(sid, caller, async (send) => {
    if (lastEventId) {
      await session.store.replayEventsAfter(lastEventId, { send: async (id, message) => send(id, JSON.stringify(message)) });
    } else if ((version ?? session.protocolVersion) >= "2025-11-25") {
      // A priming event (an id with empty data): the client holds a resume point even before the
      // first push. Only from 2025-11-25 on, which allows it: older clients (Gemini CLI sends no
      // header after initialize) parse the empty data as JSON and drop the server.
      send(session.store.resumeId(), "");
    }
  });
}

function parseWait(raw: string | null): ListenWait | string {
  let w: Partial<ListenWait>;
  try {
    w = JSON.parse(raw ?? "") as Partial<ListenWait>;
  } catch {
    return "the wait is not JSON";
  }
  if (typeof w.agent !== "string" || !AGENT_NAME_RE.test(w.agent)) return "wait.agent must be an agent name";
  if (!Number.isInteger(w.after) || (w.after ?? -1) < 0) return "wait.after must be a non-negative integer seq";
  if (w.scope !== "messages" && w.scope !== "all") return "wait.scope must be messages or all";
  if (w.ask !== undefined && (typeof w.ask !== "string" || !w.ask.startsWith(ASK_PREFIX) || w.ask.length > 80))
    return "wait.ask must be an approval question's id";
  const wait: ListenWait = { agent: w.agent, after: w.after as number, scope: w.scope, timeout_ms: Number(w.timeout_ms) || 0 };
  if (w.ask !== undefined) wait.ask = w.ask;
  return wait;
}

function openListen(core: RelayRoom, req: Request, caller: Caller | null): Response {
  const wait = parseWait(req.headers.get(WAIT_HEADER));
  if (typeof wait === "string") return Response.json({ error: "invalid_input", message: wait }, { status: 400 });
  if (caller && caller.role !== "admin" && caller.agent !== wait.agent) {
    return Response.json(
      { error: "forbidden", message: `your token is for ${caller.agent}; you cannot listen as ${wait.agent}` },
      { status: 403 },
    );
  }
  // Checked in the same turn as the accept: an event (or answer) committed before it wakes the wait at once.
  const ready = wait.ask !== undefined ? askSettled(core.db, wait.ask) : hasListenMatch(core.db, wait.agent, wait.after, wait.scope);
  return core.relay.openListen(wait, caller, ready);
}

function parseSubscription(raw: string | null): Subscription | string {
  let sub: Partial<Subscription>;
  try {
    sub = JSON.parse(raw ?? "") as Partial<Subscription>;
  } catch {
    return "the subscription is not JSON";
  }
  if (typeof sub.id !== "string" && typeof sub.id !== "number") return "subscription.id must be the listen request's id";
  if (!Number.isInteger(sub.after) || (sub.after ?? -1) < 0) return "subscription.after must be a non-negative integer seq";
  const uris = sub.honored?.resourceSubscriptions;
  if (uris !== undefined && (!Array.isArray(uris) || uris.length > 64 || uris.some((u) => typeof u !== "string" || u.length > 512))) {
    return "subscription.honored.resourceSubscriptions must be up to 64 URIs";
  }
  return { id: sub.id, after: sub.after as number, honored: uris ? { resourceSubscriptions: uris as string[] } : {} };
}

/** A 2026-07-28 listen stream the room handed to the Worker, fed from here on over this socket. */
function openSubscription(core: RelayRoom, req: Request, caller: Caller | null): Response {
  const sub = parseSubscription(req.headers.get(SUBSCRIBE_HEADER));
  if (typeof sub === "string") return Response.json({ error: "invalid_input", message: sub }, { status: 400 });
  // Only which URIs changed is told, and only for events this caller may see (a portal message
  // between two others is no news to a reader).
  const events = eventsAfter(core.db, sub.after, 1000);
  const viewer = viewerOf(caller);
  const missed = { uris: changedResources(events.filter((e) => canSee(viewer, e))), seq: events.at(-1)?.seq ?? sub.after };
  return core.relay.openSubscription(sub, caller, missed, stampedUpdate);
}
