import { bearerOf, OAUTH_HEADER } from "../../wire/edge";
import { authServer, mcpPath, resourceOf } from "./server";

const PRM_PREFIX = "/.well-known/oauth-protected-resource";

/** Where a room's protected-resource metadata lives (RFC 9728 path-suffixed form). */
export function metadataUrl(origin: string, room: string): string {
  return `${origin}${PRM_PREFIX}${mcpPath(room)}`;
}

/** An OAuth access token is `<userId>:<grantId>:<secret>`; masc's own tokens and secrets have no ':'. */
function oauthBearer(req: Request): string | null {
  const token = bearerOf(req);
  return token && token.split(":").length === 3 ? token : null;
}

function challenge(origin: string, room: string, description: string): Response {
  const header = `Bearer error="invalid_token", error_description="${description}", resource_metadata="${metadataUrl(origin, room)}"`;
  return Response.json({ error: "invalid_token", message: description }, { status: 401, headers: { "www-authenticate": header } });
}

/**
 * Tokens this isolate validated lately, by token and room. The room is the authority: it checks
 * its grant row on every request, and every way a grant ends reaches that row (an admin's revoke,
 * or the token endpoint seeing it die, src/http/oauth/grant-end.ts), so a cached token stops at
 * once in every isolate. The cache only saves the KV read and props decryption.
 */
const VALID_CACHE_MS = 15_000;
const validated = new Map<string, { props: unknown; expiresAt: number; until: number }>();

/** Forgets every cached token of one grant (tokens start with `<userId>:<grantId>:`). */
export function forgetGrant(userId: string, grantId: string): void {
  const prefix = `${userId}:${grantId}:`;
  for (const key of validated.keys()) if (key.startsWith(prefix)) validated.delete(key);
}

async function validate(req: Request, env: Env, room: string, token: string): Promise<{ props: unknown; expiresAt: number } | null> {
  const key = `${token} ${room}`;
  const now = Date.now();
  const hit = validated.get(key);
  if (hit && hit.until > now) return hit;
  const origin = new URL(req.url).origin;
  const valid = await authServer(origin, room).validateToken(resourceOf(origin, room), token, env);
  if (!valid) return null;
  const expiresAt = valid.expiresAt * 1000;
  if (validated.size >= 512) validated.delete(validated.keys().next().value as string);
  const entry = { props: valid.props, expiresAt, until: Math.min(now + VALID_CACHE_MS, expiresAt) };
  validated.set(key, entry);
  return entry;
}

/**
 * Validates an OAuth access token at the edge and hands the room its props as `x-masc-oauth`
 * (the room checks room and revocation). Returns a 401 for a token that is not valid for this
 * room; null when the request carries no OAuth token (masc tokens and secrets go to the room).
 */
export async function oauthAtEdge(req: Request, env: Env, room: string, headers: Headers): Promise<Response | null> {
  const token = oauthBearer(req);
  if (!token) return null;
  const valid = await validate(req, env, room, token);
  if (!valid) return challenge(new URL(req.url).origin, room, "the access token is expired, revoked or for another room; sign in again");
  // Its expiry goes along, so a socket or stream it opened closes when it runs out, as a room token's does.
  headers.set(OAUTH_HEADER, JSON.stringify({ ...(valid.props as object), expires_at: valid.expiresAt }));
  headers.delete("authorization");
  return null;
}

/** A room's 401 names where to start OAuth sign-in (RFC 9728 §5.1). */
export function withChallenge(res: Response, req: Request, room: string): Response {
  // A challenge already made at the edge (invalid_token) is kept as it is.
  if (res.status !== 401 || res.headers.get("www-authenticate")?.includes("resource_metadata")) return res;
  const out = new Response(res.body, res);
  out.headers.set("www-authenticate", `Bearer resource_metadata="${metadataUrl(new URL(req.url).origin, room)}"`);
  return out;
}
