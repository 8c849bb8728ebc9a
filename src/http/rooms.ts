import type { Context } from "hono";
import { bearerOf, isOwnerSecret } from "../room/auth";
import { oauthAtEdge, withChallenge } from "./oauth/edge";
import { isLoopbackHost } from "./origin";

export const DEFAULT_ROOM = "default";
export const ROOM_NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Internal headers the Worker sets for its rooms; a client's own are dropped, so the room may trust them. */
export const EDGE_HEADER_PREFIX = "x-masc-";

export const NO_OWNER_SECRET =
  "this masc server is reachable from the internet but has no owner secret, so its rooms stay closed; " +
  "set one with `npx wrangler secret put MASC_ADMIN_SECRET` (a long random string) and send it as Authorization: Bearer <secret>";

/**
 * Forwards a request to its room's Durable Object with the facts decided here: the room's name and
 * whether the request came to a loopback host (only loopback may use a room without credentials),
 * and whether it brought the owner secret.
 */
export async function toRoom(c: Context<{ Bindings: Env }>, room: string): Promise<Response> {
  if (!ROOM_NAME_RE.test(room)) {
    return c.json({ error: "invalid_room", message: "room must be 1-64 characters of letters, digits, '.', '_' or '-'" }, 400);
  }
  const loopback = isLoopbackHost(new URL(c.req.url).hostname);
  // Without an owner secret nobody could ever be admin of a room on the internet, and an open one
  // would go to whoever finds the URL first.
  if (!loopback && !c.env.MASC_ADMIN_SECRET?.trim()) return c.json({ error: "owner_secret_missing", message: NO_OWNER_SECRET }, 503);
  const headers = new Headers();
  for (const [name, value] of c.req.raw.headers) if (!name.toLowerCase().startsWith(EDGE_HEADER_PREFIX)) headers.append(name, value);
  headers.set("x-masc-room", room);
  headers.set("x-masc-loopback", loopback ? "1" : "0");
  if (await isOwnerSecret(bearerOf(c.req.raw), c.env.MASC_ADMIN_SECRET)) headers.set("x-masc-owner", "1");
  else {
    const refused = await oauthAtEdge(c.req.raw, c.env, room, headers);
    if (refused) return refused;
  }
  const req = new Request(c.req.raw, { headers });
  return withChallenge(await c.env.ROOM.getByName(room).fetch(req), c.req.raw, room);
}
