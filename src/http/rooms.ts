import type { Context } from "hono";

export const DEFAULT_ROOM = "default";
export const ROOM_NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** A 400 naming what a room name may be, or null when `room` is one. */
export function badRoom(c: Context<{ Bindings: Env }>, room: string): Response | null {
  if (ROOM_NAME_RE.test(room)) return null;
  return c.json({ error: "invalid_room", message: "room must be 1-64 characters of letters, digits, '.', '_' or '-'" }, 400);
}

/**
 * The client's headers as the room may see them: every `x-masc-*` header the client sent is
 * dropped, so the room can trust the ones the Worker sets; the room is told its own name.
 */
export function roomHeaders(req: Request, room: string): Headers {
  const headers = new Headers(req.headers);
  for (const name of [...headers.keys()]) if (name.startsWith("x-masc-")) headers.delete(name);
  headers.set("x-masc-room", room);
  return headers;
}

/** Forwards a request to its room's Durable Object, telling the room its own name. */
export async function toRoom(c: Context<{ Bindings: Env }>, room: string): Promise<Response> {
  const bad = badRoom(c, room);
  if (bad) return bad;
  const req = new Request(c.req.raw, { headers: roomHeaders(c.req.raw, room) });
  return c.env.ROOM.getByName(room).fetch(req);
}
