import type { Context } from "hono";

export const DEFAULT_ROOM = "default";
export const ROOM_NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Forwards a request to its room's Durable Object, telling the room its own name. */
export async function toRoom(c: Context<{ Bindings: Env }>, room: string): Promise<Response> {
  if (!ROOM_NAME_RE.test(room)) {
    return c.json({ error: "invalid_room", message: "room must be 1-64 characters of letters, digits, '.', '_' or '-'" }, 400);
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-masc-room", room);
  const req = new Request(c.req.raw, { headers });
  return c.env.ROOM.getByName(room).fetch(req);
}
