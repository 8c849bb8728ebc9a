import type { EdgeFacts } from "../room/auth";

/** Internal headers the Worker sets for its rooms; a client's own are dropped, so the room may trust them. */
export const EDGE_HEADER_PREFIX = "x-masc-";
/** The room's name as the Worker routed it; the room remembers the first one. */
export const ROOM_HEADER = "x-masc-room";
/** The request came to a loopback host ("1" or "0"). */
export const LOOPBACK_HEADER = "x-masc-loopback";
/** The request brought the deploy's owner secret ("1"), checked by the Worker. */
export const OWNER_HEADER = "x-masc-owner";
/** An OAuth access token's props, validated by the Worker; the room checks the grant still holds. */
export const OAUTH_HEADER = "x-masc-oauth";

/** The Worker drops every `x-masc-*` header a client sent before setting these, so they can be trusted. */
export function edgeFacts(req: Request): EdgeFacts {
  return { loopback: req.headers.get(LOOPBACK_HEADER) === "1", owner: req.headers.get(OWNER_HEADER) === "1" };
}

/** The token of an `Authorization: Bearer …` header, if any. */
export function headerBearer(req: Request): string | null {
  const header = req.headers.get("authorization");
  return header?.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() || null : null;
}

export function bearerOf(req: Request): string | null {
  const fromHeader = headerBearer(req);
  if (fromHeader) return fromHeader;
  // Browsers cannot set headers on a WebSocket, so the socket URL may carry the token. Nothing
  // else may: URLs end up in logs and browser history.
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") return null;
  return new URL(req.url).searchParams.get("token");
}
