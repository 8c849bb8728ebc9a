import type { MiddlewareHandler } from "hono";
import { urlOf } from "./request-url";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** A host name that only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

function hostnameOf(value: string): string | null {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Whether a request came to this machine's own loopback name (decision 0036). The URL alone cannot
 * say: `wrangler dev` rebuilds it from a client's `MF-Original-URL` header. The Host header is what
 * a browser (DNS rebinding) or a tunnel (a shared `wrangler dev`) cannot make loopback, so both
 * must be. A request built inside the runtime (tests) has no Host header; its URL is all there is.
 */
export function isLoopbackRequest(req: Request): boolean {
  if (!isLoopbackHost(urlOf(req).hostname)) return false;
  const host = req.headers.get("host");
  if (host === null) return true;
  const name = hostnameOf(host);
  return name !== null && isLoopbackHost(name);
}

/** Origins a browser page may call from besides its own and loopback: MASC_ALLOWED_ORIGINS, comma separated. */
export function allowedOrigins(configured: string | undefined): Set<string> {
  const extra = (configured ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return new Set([...LOOPBACK, ...extra]);
}

/**
 * Decides one request's Origin: null when allowed, else the reason. Pure, so it is tested without
 * HTTP. Any Host is served: off loopback every room needs a credential, so a host allowlist would
 * guard nothing (decision 0036). A browser page may call from its own host, from loopback, or from
 * an allowed origin; on a loopback request, where a room may be open, only loopback and allowed
 * origins, so a page elsewhere cannot drive a local server.
 */
export function checkOrigin(host: string | null, origin: string | null, loopback: boolean, allowed: Set<string>): string | null {
  if (origin === null) return null;
  const o = hostnameOf(origin);
  if (o !== null && allowed.has(o)) return null;
  const h = host === null ? null : hostnameOf(host);
  if (!loopback && o !== null && o === h) return null;
  return `origin '${origin}' is not allowed`;
}

/** The browser side of DNS-rebinding and cross-site protection: a page elsewhere cannot drive this server. */
export function originGuard(): MiddlewareHandler<{ Bindings: Env }> {
  let cached: { raw: string | undefined; set: Set<string> } | undefined;
  return async (c, next) => {
    if (!cached || cached.raw !== c.env.MASC_ALLOWED_ORIGINS) {
      cached = { raw: c.env.MASC_ALLOWED_ORIGINS, set: allowedOrigins(c.env.MASC_ALLOWED_ORIGINS) };
    }
    const req = c.req.raw;
    const reason = checkOrigin(c.req.header("host") ?? urlOf(req).host, c.req.header("origin") ?? null, isLoopbackRequest(req), cached.set);
    if (reason) return c.json({ error: "forbidden", message: `${reason}; add its host name to MASC_ALLOWED_ORIGINS` }, 403);
    await next();
  };
}
