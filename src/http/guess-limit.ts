import type { Context, MiddlewareHandler } from "hono";
import { bearerOf } from "../wire/edge";
import { TOKEN_PATH } from "./oauth/server";
import { isLoopbackRequest } from "./origin";

/**
 * Failed credentials are limited per client address (decision 0036): a bearer that was refused
 * anywhere (MCP of both eras, WebSocket, GraphQL, dashboard and hook API, metrics, the directory)
 * or a token request the OAuth endpoint turned down. The platform's rate limiter (AUTH_LIMIT in
 * wrangler.toml) counts the failures across isolates; once it says no, this isolate answers 429 to
 * every credential from that address until the window ends, before checking it, so a throttled
 * guess cannot tell right from wrong. A correct credential from another address is untouched.
 *
 * The address is `cf-connecting-ip`: Cloudflare sets it on every request (a client's own is
 * replaced); `wrangler dev` sets it to the peer address unless the client sent one. A loopback
 * request is this machine's own `wrangler dev` and is not counted.
 */
export const GUESS_WINDOW_S = 60;

/** Addresses refused until a time (ms); bounded, oldest first out. */
const blocked = new Map<string, number>();
const MAX_BLOCKED = 4096;

type Ctx = Context<{ Bindings: Env }>;

function tooMany(c: Ctx, until: number): Response {
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  return c.json({ error: "rate_limited", message: `too many failed credentials from this address; try again in ${seconds} s` }, 429, {
    "retry-after": String(seconds),
  });
}

/** Whether the request carries something that is checked as a credential. */
function presents(c: Ctx): boolean {
  return (c.req.method === "POST" && c.req.path === TOKEN_PATH) || bearerOf(c.req.raw) !== null;
}

/** Whether the answer refused the credential the request presented. */
async function refused(c: Ctx, res: Response): Promise<boolean> {
  if (res.status === 401) return true;
  if (res.status !== 400 || c.req.path !== TOKEN_PATH) return false;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { error?: string } | null;
  // A code, refresh token or client secret that matched nothing; not a malformed request.
  return body?.error === "invalid_grant" || body?.error === "invalid_client";
}

export function guessLimit(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const ip = c.req.header("cf-connecting-ip");
    if (!ip || !c.env.AUTH_LIMIT || !presents(c) || isLoopbackRequest(c.req.raw)) return next();
    const until = blocked.get(ip);
    if (until !== undefined && until > Date.now()) return tooMany(c, until);
    if (until !== undefined) blocked.delete(ip);
    await next();
    if (!(await refused(c, c.res))) return;
    const { success } = await c.env.AUTH_LIMIT.limit({ key: `auth:${ip}` });
    if (success) return;
    const end = Date.now() + GUESS_WINDOW_S * 1000;
    if (blocked.size >= MAX_BLOCKED) blocked.delete(blocked.keys().next().value as string);
    blocked.set(ip, end);
    await c.res.body?.cancel();
    c.res = undefined;
    c.res = tooMany(c, end);
  };
}
