import type { Context } from "hono";
import { isOwnerSecret, MIN_OWNER_SECRET, ownerSecretOf } from "../room/auth";
import { bearerOf, EDGE_HEADER_PREFIX, LOOPBACK_HEADER, OWNER_HEADER, ROOM_HEADER } from "../wire/edge";
import { oauthAtEdge, withChallenge } from "./oauth/edge";
import { isLoopbackRequest } from "./origin";
import { ROOM_NAME_RE } from "./room-name";

export const NO_OWNER_SECRET =
  "this masc server is reachable from the internet but has no owner secret, so its rooms stay closed; " +
  `set one with \`npx wrangler secret put MASC_ADMIN_SECRET\` (a random string of at least ${MIN_OWNER_SECRET} characters) ` +
  "and send it as Authorization: Bearer <secret>";

/**
 * The answer off loopback when the Worker has no owner secret. A 4xx, not 503: trying again changes
 * nothing, and a DNS-rebinding request to a local `wrangler dev` must read as refused (decision 0036).
 */
export const noOwnerSecret = (c: Context<{ Bindings: Env }>) => c.json({ error: "owner_secret_missing", message: NO_OWNER_SECRET }, 403);

/** Why a request cannot go to `room` at all (a bad name, no owner secret off loopback), or null. */
export function badRoom(c: Context<{ Bindings: Env }>, room: string): Response | null {
  if (!ROOM_NAME_RE.test(room)) {
    return c.json({ error: "invalid_room", message: "room must be 1-64 characters of letters, digits, '.', '_' or '-'" }, 400);
  }
  // Without an owner secret nobody could ever be admin of a room on the internet, and an open one
  // would go to whoever finds the URL first.
  if (!isLoopbackRequest(c.req.raw) && !ownerSecretOf(c.env.MASC_ADMIN_SECRET)) {
    return noOwnerSecret(c);
  }
  return null;
}

/**
 * The client's headers with the facts decided here: the room's name, whether the request came to a
 * loopback host (only loopback may use a room without credentials), and whether it brought the
 * owner secret. Every `x-masc-*` header the client sent is dropped first.
 */
export async function roomHeaders(c: Context<{ Bindings: Env }>, room: string): Promise<Headers | Response> {
  // One native copy, then only the names walked (they come lowercased): a JS loop of appends
  // cost more CPU than the rest of the hop.
  const headers = new Headers(c.req.raw.headers);
  const edge = [...headers.keys()].filter((name) => name.startsWith(EDGE_HEADER_PREFIX));
  for (const name of edge) headers.delete(name);
  headers.set(ROOM_HEADER, room);
  headers.set(LOOPBACK_HEADER, isLoopbackRequest(c.req.raw) ? "1" : "0");
  if (await isOwnerSecret(bearerOf(c.req.raw), c.env.MASC_ADMIN_SECRET)) headers.set(OWNER_HEADER, "1");
  else {
    // An OAuth access token is checked here and reaches the room as its props, or is refused.
    const refused = await oauthAtEdge(c.req.raw, c.env, room, headers);
    if (refused) return refused;
  }
  return headers;
}

/** Forwards a request to its room's Durable Object with those facts. */
export async function toRoom(c: Context<{ Bindings: Env }>, room: string): Promise<Response> {
  const bad = badRoom(c, room);
  if (bad) return bad;
  const headers = await roomHeaders(c, room);
  if (headers instanceof Response) return headers;
  const req = new Request(c.req.raw, { headers });
  return withChallenge(await c.env.ROOM.getByName(room).fetch(req), c.req.raw, room);
}
