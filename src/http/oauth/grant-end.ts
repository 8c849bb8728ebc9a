import type { Grant } from "@cloudflare/workers-oauth-provider";
import { sha256 } from "../../room/auth";
import type { GrantEnd } from "../../room/oauth-revoke";
import { ROOM_NAME_RE } from "../room-name";
import { forgetGrant } from "./edge";
import { authServer } from "./server";

/**
 * The token endpoint is where a client ends its own sign-in (RFC 7009) and where the library ends a
 * grant it finds abused (a replayed code). The library only clears its KV records, so the room
 * would go on serving what the grant opened. Every token request naming a grant is watched: a
 * grant that existed before the request and is gone after it is ended in the room too, and a
 * refresh token presented after it was rotated ends the grant (RFC 9700 §4.14.2). Decision 0035.
 */

/** A code or token names its grant: `<userId>:<grantId>:<secret>`, the user id being `<room>~<room's grant id>`. */
interface Named {
  userId: string;
  grantId: string;
  room: string;
  roomGrant: string;
}

function namedGrant(token: string | null): Named | null {
  const parts = token?.split(":");
  if (parts?.length !== 3) return null;
  const [userId = "", grantId = ""] = parts;
  const [room, roomGrant, ...rest] = userId.split("~");
  if (!room || !roomGrant || rest.length > 0 || !grantId || !ROOM_NAME_RE.test(room)) return null;
  return { userId, grantId, room, roomGrant };
}

const grantKey = (n: Named) => `grant:${n.userId}:${n.grantId}`;
const accessKey = async (n: Named, token: string) => `token:${n.userId}:${n.grantId}:${await sha256(token)}`;

/** Ends the grant in the library's storage, this isolate's token cache and the room. */
async function endEverywhere(env: Env, origin: string, n: Named, reason: GrantEnd, inKv: boolean): Promise<void> {
  if (inKv) await authServer(origin, n.room).getOAuthApi(env).revokeGrant(n.grantId, n.userId);
  forgetGrant(n.userId, n.grantId);
  await env.ROOM.getByName(n.room).endGrant(n.roomGrant, reason);
}

const REUSED = "this refresh token was already exchanged for a newer one, so it may have leaked; the sign-in is revoked, sign in again";

/** The library's own refusal of the (now revoked) grant, with its headers (CORS, no-store), saying why. */
async function refusedReuse(res: Response): Promise<Response> {
  await res.body?.cancel();
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify({ error: "invalid_grant", error_description: REUSED }), { status: 400, headers });
}

type Field = (name: string) => string | null;

/** Runs one token-endpoint request (`forward` hands it to the library), ending in the room any grant it ends. */
export async function watchGrant(req: Request, env: Env, field: Field, forward: () => Promise<Response>): Promise<Response> {
  const revocation = field("grant_type") === null && field("token") !== null;
  const presented = field("code") ?? field("refresh_token") ?? field("token");
  const named = req.method === "POST" ? namedGrant(presented) : null;
  if (!named || !presented) return forward();
  const before = await env.OAUTH_KV.get<Grant>(grantKey(named), "json");
  // Only a grant that exists is acted on, so a forged token naming someone's grant ends nothing.
  if (!before) return forward();
  const origin = new URL(req.url).origin;
  if (field("grant_type") === "refresh_token") {
    const hash = await sha256(presented);
    if (before.previousRefreshTokenId === hash && before.refreshTokenId !== hash) {
      await endEverywhere(env, origin, named, "refresh_reused", true);
      return refusedReuse(await forward());
    }
  }
  const access = revocation ? await accessKey(named, presented) : null;
  const accessBefore = access !== null && (await env.OAUTH_KV.get(access)) !== null;
  const res = await forward();
  // A code or refresh the library answered with tokens left its grant standing: no read needed.
  if (!revocation && res.ok) return res;
  if ((await env.OAUTH_KV.get(grantKey(named))) === null) {
    const reason: GrantEnd = revocation ? "client_revoked" : field("grant_type") === "authorization_code" ? "code_replayed" : "grant_gone";
    await endEverywhere(env, origin, named, reason, false);
  } else if (access !== null && accessBefore && res.ok && (await env.OAUTH_KV.get(access)) === null) {
    // The library revoked only this access token (it was the client's own): the sign-in ends with it,
    // as RFC 7009 §2.1 allows, since what the room opened for it is kept per grant, not per token.
    await endEverywhere(env, origin, named, "client_revoked", true);
  }
  return res;
}
