import type { Context } from "hono";
import { oauthAtEdge, withChallenge } from "./oauth/edge";

export const DEFAULT_ROOM = "default";
export const ROOM_NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Forwards a request to its room's Durable Object, telling the room its own name. */
export async function toRoom(c: Context<{ Bindings: Env }>, room: string): Promise<Response> {
  if (!ROOM_NAME_RE.test(room)) {
    return c.json({ error: "invalid_room", message: "room must be 1-64 characters of letters, digits, '.', '_' or '-'" }, 400);
  }
  const headers = new Headers(c.req.raw.headers);
  // x-masc-* headers are facts the Worker tells the room; a client never sets them.
  for (const name of [...headers.keys()]) if (name.startsWith("x-masc-")) headers.delete(name);
  headers.set("x-masc-room", room);
  const refused = await oauthAtEdge(c.req.raw, c.env, room, headers);
  if (refused) return refused;
  const req = new Request(c.req.raw, { headers });
  return withChallenge(await c.env.ROOM.getByName(room).fetch(req), c.req.raw, room);
}
