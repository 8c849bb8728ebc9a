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

/** An address of this machine: 127.0.0.0/8 or ::1 (also IPv4-mapped). */
export function isLoopbackAddress(address: string): boolean {
  const ip = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/^::ffff:/i, "");
  return ip === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** Headers a proxy or tunnel adds naming the address it forwards for. */
const FORWARDED_FOR = ["cf-connecting-ip", "x-forwarded-for", "x-real-ip", "true-client-ip"];

/** Whether every proxy hop the request names (addresses and hosts) is this machine; true when it names none. */
function forwardedOnlyLocally(headers: Headers): boolean {
  for (const name of FORWARDED_FOR) {
    const value = headers.get(name);
    if (value !== null && !value.split(",").every(isLoopbackAddress)) return false;
  }
  const host = headers.get("x-forwarded-host");
  if (host !== null && !host.split(",").every((h) => isLoopbackHost(hostnameOf(h.trim()) ?? ""))) return false;
  const forwarded = headers.get("forwarded");
  if (forwarded === null) return true;
  for (const pair of forwarded.split(/[,;]/)) {
    const [key = "", raw = ""] = pair.split("=", 2).map((p) => p.trim());
    const value = raw.replace(/^"|"$/g, "");
    if (key.toLowerCase() === "for" && !isLoopbackAddress(value.replace(/:\d+$/, "").replace(/^\[(.*)\](:\d+)?$/, "$1"))) return false;
    if (key.toLowerCase() === "host" && !isLoopbackHost(hostnameOf(value) ?? "")) return false;
  }
  return true;
}

/**
 * Whether a request came from this machine to its loopback name (decision 0036). The URL alone
 * cannot say: `wrangler dev` rebuilds it, and then the Host header, from a client's
 * `MF-Original-URL`. So the Host header must be loopback too (a browser on a DNS-rebinding name
 * cannot change it), and so must every address a proxy or tunnel says it forwards for: Cloudflare
 * Tunnel passes the edge's `cf-connecting-ip`, others add `x-forwarded-for` or `forwarded`, and a
 * client can add to those but not take the hop's entry away. A request built inside the runtime
 * (tests) has no Host header; its URL is all there is.
 */
export function isLoopbackRequest(req: Request): boolean {
  let loopback = decided.get(req);
  if (loopback === undefined) {
    const host = req.headers.get("host");
    loopback =
      isLoopbackHost(urlOf(req).hostname) && (host === null || isLoopbackHost(hostnameOf(host) ?? "")) && forwardedOnlyLocally(req.headers);
    decided.set(req, loopback);
  }
  return loopback;
}

/** Decided once per request, however many checks on the way (origin, failed credentials, room) ask. */
const decided = new WeakMap<Request, boolean>();

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
