import type { Context, Hono } from "hono";
import { DEFAULT_ROOM, ROOM_NAME_RE } from "../room-name";
import { cimdRefusal } from "./cimd";
import { answerConsent, showConsent } from "./consent";
import { watchGrant } from "./grant-end";
import { oauthLimit } from "./limit";
import { AUTHORIZE_PATH, authServer, REGISTER_PATH, resourceOf, roomOfResource, roomOfToken, TOKEN_PATH } from "./server";

type C = Context<{ Bindings: Env }>;

/** RFC 9728 metadata of one room's MCP URL: which authorization server issues its tokens. */
function resourceMetadata(c: C, room: string) {
  if (!ROOM_NAME_RE.test(room)) return c.json({ error: "invalid_room", message: "no such room URL" }, 404);
  const origin = new URL(c.req.url).origin;
  c.header("access-control-allow-origin", "*");
  c.header("cache-control", "no-store");
  return c.json({
    resource: resourceOf(origin, room),
    authorization_servers: [origin],
    bearer_methods_supported: ["header"],
    resource_name: `masc room ${room}`,
  });
}

type Field = (name: string) => string | null;

async function formOf(req: Request): Promise<Field> {
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  return (name) => {
    const v = form?.get(name);
    return typeof v === "string" ? v : null;
  };
}

/**
 * The rooms a token request concerns: the one its code or token belongs to, and the one its
 * resource names if that differs, so the library itself answers invalid_target for the mismatch.
 */
function tokenRooms(req: Request, field: Field): string[] {
  const rooms = new Set<string>();
  const own = roomOfToken(field("code") ?? field("refresh_token") ?? field("token"));
  if (own) rooms.add(own);
  const named = field("resource");
  const target = named === null ? null : roomOfResource(new URL(req.url).origin, named);
  if (target) rooms.add(target);
  return rooms.size > 0 ? [...rooms] : [DEFAULT_ROOM];
}

/** The client id of a token request (form or HTTP Basic), if it names a local or IP address: refused before any fetch. */
function localTokenClient(req: Request, field: Field): Response | null {
  const basic = req.headers.get("authorization")?.match(/^basic\s+(\S+)$/i)?.[1];
  let fromBasic = "";
  try {
    fromBasic = basic ? decodeURIComponent(atob(basic).split(":")[0] ?? "") : "";
  } catch {
    // Not Base64: the library answers it.
  }
  const reason = cimdRefusal(field("client_id") ?? "") ?? cimdRefusal(fromBasic);
  return reason ? Response.json({ error: "invalid_client", error_description: reason }, { status: 401 }) : null;
}

/** Hono throws on executionCtx when the app is called without one (tests call app.fetch directly). */
function ctxOf(c: C): ExecutionContext {
  try {
    return c.executionCtx as unknown as ExecutionContext;
  } catch {
    return { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
  }
}

const asFetch = (c: C, rooms: string[], req: Request = c.req.raw) =>
  authServer(new URL(c.req.url).origin, ...rooms).fetch(req, c.env, ctxOf(c));

/** OAuth 2.1 for remote rooms: discovery, registration, the consent page, tokens and revocation. */
export function oauthRoutes(app: Hono<{ Bindings: Env }>): void {
  app.get("/.well-known/oauth-protected-resource", (c) => resourceMetadata(c, DEFAULT_ROOM));
  app.get("/.well-known/oauth-protected-resource/mcp", (c) => resourceMetadata(c, DEFAULT_ROOM));
  app.get("/.well-known/oauth-protected-resource/r/:room/mcp", (c) => resourceMetadata(c, c.req.param("room")));
  // One issuer for every room; clients that insert a resource path into the well-known URL get the same document.
  app.on(["GET", "HEAD", "OPTIONS"], ["/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/*"], (c) => {
    const url = new URL(c.req.url);
    url.pathname = "/.well-known/oauth-authorization-server";
    return asFetch(c, [DEFAULT_ROOM], new Request(url, c.req.raw));
  });
  app.on(["POST", "OPTIONS"], REGISTER_PATH, oauthLimit("register"), (c) => asFetch(c, [DEFAULT_ROOM]));
  app.on(["POST", "OPTIONS"], TOKEN_PATH, async (c) => {
    const field = await formOf(c.req.raw);
    return localTokenClient(c.req.raw, field) ?? watchGrant(c.req.raw, c.env, field, () => asFetch(c, tokenRooms(c.req.raw, field)));
  });
  app.get(AUTHORIZE_PATH, oauthLimit("authorize"), (c) => showConsent(c.req.raw, c.env));
  app.post(AUTHORIZE_PATH, oauthLimit("authorize"), (c) => answerConsent(c.req.raw, c.env));
}
