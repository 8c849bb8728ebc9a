import type { MiddlewareHandler } from "hono";
import { urlOf } from "./request-url";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** A request URL's host name that only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

export function allowedHosts(configured: string | undefined): Set<string> {
  const extra = (configured ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return new Set([...LOOPBACK, ...extra]);
}

function hostnameOf(value: string): string | null {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Decides one request: null when allowed, else the reason. Pure, so it is tested without HTTP. */
export function checkOrigin(host: string | null, origin: string | null, allowed: Set<string>): string | null {
  const h = host ? hostnameOf(host) : null;
  if (!h || !allowed.has(h)) return `host '${host ?? ""}' is not allowed`;
  if (origin !== null) {
    const o = hostnameOf(origin);
    if (!o || !allowed.has(o)) return `origin '${origin}' is not allowed`;
  }
  return null;
}

/** DNS-rebinding protection: a page on another site must not reach a server bound to localhost. */
export function originGuard(): MiddlewareHandler<{ Bindings: Env }> {
  let cached: { raw: string | undefined; set: Set<string> } | undefined;
  return async (c, next) => {
    if (!cached || cached.raw !== c.env.MASC_ALLOWED_ORIGINS) {
      cached = { raw: c.env.MASC_ALLOWED_ORIGINS, set: allowedHosts(c.env.MASC_ALLOWED_ORIGINS) };
    }
    const url = urlOf(c.req.raw);
    const reason = checkOrigin(c.req.header("host") ?? url.host, c.req.header("origin") ?? null, cached.set);
    if (reason) return c.json({ error: "forbidden", message: `${reason}; add it to MASC_ALLOWED_ORIGINS` }, 403);
    await next();
  };
}
