import type { Context, Next } from "hono";
import { isLoopbackRequest } from "../origin";

/**
 * `/register` and `/authorize` answer anyone: each registration is a stored client and each consent
 * answer tries an invite code or the owner secret. Each client address gets a budget per endpoint
 * (OAUTH_LIMIT in wrangler.toml), keyed by the `cf-connecting-ip` Cloudflare sets on every request
 * (a client's own is replaced). A loopback host is this machine's own `wrangler dev`: not counted.
 */
export function oauthLimit(endpoint: "register" | "authorize") {
  return async (c: Context<{ Bindings: Env }>, next: Next) => {
    const ip = c.req.header("cf-connecting-ip");
    const local = isLoopbackRequest(c.req.raw);
    if (ip && !local && c.req.method !== "OPTIONS" && c.env.OAUTH_LIMIT) {
      const { success } = await c.env.OAUTH_LIMIT.limit({ key: `${endpoint}:${ip}` });
      if (!success) {
        return c.json(
          { error: "rate_limited", error_description: `too many ${endpoint} requests from this address; try again in a minute` },
          429,
          { "retry-after": "60" },
        );
      }
    }
    await next();
  };
}
