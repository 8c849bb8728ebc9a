import { OAuthAuthorizationServer, OAuthError } from "@cloudflare/workers-oauth-provider";
import { parseProps } from "../../room/oauth";
import { DEFAULT_ROOM, ROOM_NAME_RE } from "../room-name";

/**
 * One authorization server (this Worker's origin is the issuer) for every room; each room's MCP URL
 * is its own protected resource, so a token is bound to one room (RFC 8707). The library fixes its
 * resource registry at construction and rooms are created by name on first use, so an instance is
 * built for the one room a request concerns (decision 0024).
 */
export const AUTHORIZE_PATH = "/authorize";
export const TOKEN_PATH = "/token";
export const REGISTER_PATH = "/register";
const ACCESS_TOKEN_SECONDS = 3600;

export function mcpPath(room: string): string {
  return room === DEFAULT_ROOM ? "/mcp" : `/r/${room}/mcp`;
}

export function resourceOf(origin: string, room: string): string {
  return `${origin}${mcpPath(room)}`;
}

/** The room a resource indicator names on this origin, or null when it names none. */
export function roomOfResource(origin: string, resource: string | null | undefined): string | null {
  if (!resource?.startsWith(`${origin}/`)) return null;
  const path = resource.slice(origin.length).split("?")[0] ?? "";
  if (path === "/mcp") return DEFAULT_ROOM;
  const m = /^\/r\/([^/]+)\/mcp$/.exec(path);
  return m?.[1] && ROOM_NAME_RE.test(m[1]) ? m[1] : null;
}

/** The OAuth user id of a grant: room and the room's grant id, so a token names its room. */
export function userIdOf(room: string, grant: string): string {
  return `${room}~${grant}`;
}

/** The room a code, refresh or access token belongs to (`<userId>:<grantId>:<secret>`), if any. */
export function roomOfToken(token: string | null | undefined): string | null {
  const room = token?.split(":")[0]?.split("~")[0];
  return room && ROOM_NAME_RE.test(room) ? room : null;
}

const cache = new Map<string, OAuthAuthorizationServer<Env>>();

/** The authorization server for the rooms a request concerns (one, or two when a token request names another). */
export function authServer(origin: string, ...rooms: string[]): OAuthAuthorizationServer<Env> {
  const key = `${origin} ${rooms.join(" ")}`;
  let server = cache.get(key);
  if (!server) {
    server = new OAuthAuthorizationServer<Env>({
      issuer: origin,
      resources: rooms.map((room) => resourceOf(origin, room)),
      authorizeEndpoint: AUTHORIZE_PATH,
      tokenEndpoint: TOKEN_PATH,
      clientRegistrationEndpoint: REGISTER_PATH,
      clientIdMetadataDocumentEnabled: true,
      accessTokenTTL: ACCESS_TOKEN_SECONDS,
      tokenExchangeCallback: refuseRevoked,
    });
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(key, server);
  }
  return server;
}

/** A code or refresh token of a grant the room revoked gets no new tokens (and the library drops the grant). */
async function refuseRevoked({ props, env }: { props: unknown; env: Env }): Promise<void> {
  const p = parseProps(JSON.stringify(props));
  if (p && (await env.ROOM.getByName(p.room).grantActive(p.grant))) return;
  throw new OAuthError("invalid_grant", { description: "this sign-in was revoked in the room; sign in again with a new invite" });
}
