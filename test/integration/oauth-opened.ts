import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { until } from "../helpers/until";
import { listenRequest } from "./mcp";
import { mcpUrl, ORIGIN, token } from "./oauth-flow";
import { rawCall } from "./oauth-room";
import { openSocket, type TestSocket } from "./ws";

/** Resolves once the server ends the response body. */
function endOf(res: Response): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  return (async () => {
    let text = "";
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text;
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
}

/** A 2025-era session of this bearer with its GET stream open (relayed by the Worker). */
async function openGetStream(room: string, bearer: string): Promise<{ ended: Promise<string> }> {
  const init = await rawCall(room, bearer);
  expect(init.status).toBe(200);
  const sid = init.headers.get("mcp-session-id") ?? "";
  await init.text();
  const headers = { authorization: `Bearer ${bearer}`, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
  const done = await exports.default.fetch(mcpUrl(room), {
    method: "POST",
    headers: { ...headers, accept: "application/json, text/event-stream", "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await done.text();
  const stream = await exports.default.fetch(mcpUrl(room), { headers: { ...headers, accept: "text/event-stream" } });
  expect(stream.status).toBe(200);
  // Wrapped: an async function returning a bare promise would wait for it.
  return { ended: endOf(stream) };
}

/** A 2026-07-28 `subscriptions/listen` stream of this bearer, acknowledged (then held by the Worker). */
const relayedListens = (room: string) =>
  runInDurableObject(env.ROOM.getByName(room), (_i, state) => state.getWebSockets("relay:subscription").length);

async function openListen(room: string, bearer: string): Promise<{ ended: Promise<string> }> {
  const before = await relayedListens(room);
  const res = await exports.default.fetch(listenRequest(mcpUrl(room), ["masc://tasks"], { bearer }));
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const ended = endOf(res);
  // The Worker holds it once the room handed it over: one subscription relay socket per stream.
  await until(async () => (await relayedListens(room)) > before || undefined, "the listen stream to be handed to the Worker");
  return { ended };
}

export interface Opened {
  socket: TestSocket;
  /** The 2025 GET stream's text, once the server ends it. */
  stream: Promise<string>;
  /** The 2026 listen stream's text, once the server ends it. */
  listen: Promise<string>;
}

/** Everything an OAuth access token can keep open in a room: a WebSocket, a GET stream, a listen stream. */
export async function openAll(room: string, agent: string, bearer: string): Promise<Opened> {
  const socket = await openSocket(`/r/${room}/ws?kind=client&agent=${agent}&token=${encodeURIComponent(bearer)}`);
  await socket.next((f) => f.type === "welcome");
  const stream = await openGetStream(room, bearer);
  const listen = await openListen(room, bearer);
  return { socket, stream: stream.ended, listen: listen.ended };
}

/** Asserts that all of it was closed by the server. */
export async function expectAllClosed(opened: Opened): Promise<void> {
  expect(await opened.socket.closed).toBe(4401);
  await opened.stream;
  await opened.listen;
}

/** Whether the room still lets this access token in. */
export async function accessStatus(room: string, bearer: string): Promise<number> {
  const res = await rawCall(room, bearer);
  await res.text();
  return res.status;
}

/** The room's own row: is this agent's sign-in still active? */
export function grantActive(room: string, agent: string): Promise<boolean> {
  return runInDurableObject(
    env.ROOM.getByName(room),
    (_i, state) =>
      state.storage.sql.exec("SELECT COUNT(*) AS n FROM oauth_grants WHERE agent = ? AND revoked_at IS NULL", agent).one().n === 1,
  );
}

/** A refresh request as a client makes it. */
export const refresh = (room: string, clientId: string, rt: string) =>
  token({ grant_type: "refresh_token", refresh_token: rt, client_id: clientId, resource: mcpUrl(room) });

/** An RFC 7009 revocation request as a public client makes it. */
export async function revoke(clientId: string, tok: string, hint?: "refresh_token" | "access_token"): Promise<number> {
  const res = await exports.default.fetch(`${ORIGIN}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: tok, client_id: clientId, ...(hint ? { token_type_hint: hint } : {}) }),
  });
  await res.text();
  return res.status;
}
