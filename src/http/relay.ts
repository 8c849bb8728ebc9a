import type { Context } from "hono";
import { RELAY_HEADER, SUBSCRIBE_HEADER, type SubscriptionAnswer, WAITED_HEADER } from "../wire/relay-frames";
import { withChallenge } from "./oauth/edge";
import { sseFromRelay } from "./relay-sse";
import { streamLimits } from "./relay-stream";
import { subscriptionHeaders, subscriptionStream } from "./relay-subscription";
import { deferredWait, listenHeaders, waitOnRelay } from "./relay-wait";
import { badRoom, roomHeaders, toRoom } from "./rooms";

type Ctx = Context<{ Bindings: Env }>;

const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/**
 * The MCP endpoint at the edge (decision 0019). The Worker, not the room, holds every long-lived
 * client request: a session's GET stream and a masc_listen wait are relayed from the room over
 * hibernatable WebSockets, so a room whose agents only wait can sleep. Tool calls go straight on.
 */
export async function toMcp(c: Ctx, room: string): Promise<Response> {
  const bad = badRoom(c, room);
  if (bad) return bad;
  const req = c.req.raw;
  if (req.method === "GET" && req.headers.get("accept")?.includes("text/event-stream") && req.headers.has("mcp-session-id")) {
    return withChallenge(await relayStream(c, room), req, room);
  }
  if (req.method === "POST") return withChallenge(await relayCall(c, room), req, room);
  return toRoom(c, room);
}

function relayUrl(c: Ctx, room: string): string {
  const url = new URL(c.req.url);
  url.pathname = `/r/${room}/relay`;
  url.search = "";
  return url.toString();
}

async function relayStream(c: Ctx, room: string): Promise<Response> {
  const stub = c.env.ROOM.getByName(room);
  const base = await roomHeaders(c, room);
  if (base instanceof Response) return base;
  base.set("upgrade", "websocket");
  base.set(RELAY_HEADER, "sse");
  const url = relayUrl(c, room);
  const reopen = (lastEventId: string | null) => {
    const headers = new Headers(base);
    if (lastEventId) headers.set("last-event-id", lastEventId);
    else headers.delete("last-event-id");
    return stub.fetch(new Request(url, { headers }));
  };
  const resumeFrom = c.req.header("last-event-id") ?? null;
  const first = await reopen(resumeFrom);
  if (!first.webSocket) return first;
  const body = sseFromRelay(first.webSocket, reopen, streamLimits(c.env), resumeFrom);
  return new Response(body, { headers: { ...SSE_HEADERS, "mcp-session-id": c.req.header("mcp-session-id") ?? "" } });
}

async function relayCall(c: Ctx, room: string): Promise<Response> {
  const stub = c.env.ROOM.getByName(room);
  const base = await roomHeaders(c, room);
  if (base instanceof Response) return base;
  base.set(RELAY_HEADER, "call");
  // Built from its parts rather than from the client's Request: copying that one also deep-clones
  // its cf object and its headers once more, 0.2-0.4 ms a call in perf samples (decision 0031).
  const raw = c.req.raw;
  const res = await stub.fetch(raw.url, { method: raw.method, headers: base, body: raw.body, redirect: "manual", signal: raw.signal });
  if (res.headers.has(SUBSCRIBE_HEADER)) return relaySubscription(c, room, base, (await res.json()) as SubscriptionAnswer);
  const deferred = await deferredWait(res);
  if (!deferred) return res;
  const url = relayUrl(c, room);
  const waited = await waitOnRelay(
    (wait) => stub.fetch(new Request(url, { headers: listenHeaders(base, wait) })),
    deferred.wait,
    c.req.raw.signal,
  );
  // The repeat is an ordinary call with the wait's outcome: nothing to defer again.
  base.delete(RELAY_HEADER);
  base.set(WAITED_HEADER, `${waited.ms},${waited.timedOut ? 1 : 0}`);
  base.set("content-type", "application/json");
  base.delete("content-length");
  return stub.fetch(new Request(c.req.url, { method: "POST", headers: base, body: JSON.stringify(deferred.retry) }));
}

/** A `subscriptions/listen` the room handed over: the Worker holds the stream, the room feeds it. */
async function relaySubscription(c: Ctx, room: string, base: Headers, answer: SubscriptionAnswer): Promise<Response> {
  const stub = c.env.ROOM.getByName(room);
  const url = relayUrl(c, room);
  const open = (subscription: SubscriptionAnswer["subscription"]) =>
    stub.fetch(new Request(url, { headers: subscriptionHeaders(base, subscription) }));
  const first = await open(answer.subscription);
  if (!first.webSocket) return first;
  return new Response(subscriptionStream(first.webSocket, answer, open, streamLimits(c.env)), { headers: SSE_HEADERS });
}
