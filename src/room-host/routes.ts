import { dashboardApi } from "../dashboard/api";
import { handleMcp } from "../mcp/endpoint";
import { authenticate, type Caller } from "../room/auth";
import { checkGrant } from "../room/oauth";
import { viewerOf } from "../room/visibility";
import { bearerOf, edgeFacts, OAUTH_HEADER } from "../wire/edge";
import { seedRoom, seedSize } from "./bench-seed";
import type { RoomCore } from "./core";
import { openRelay } from "./relay-open";

type Route = (core: RoomCore, req: Request, caller: Caller | null, path: string) => Promise<Response> | Response;

/**
 * The room's HTTP surface, by the path after `/r/<room>` (or the bare path of the default room).
 * Matched whole, not by suffix: `/r/x/api/a/mcp` is a dashboard API path, never the MCP endpoint
 * outside the Worker's relay, nor a relay socket.
 */
const ROUTES: Array<[(tail: string) => boolean, Route]> = [
  [(t) => t === "/mcp", (core, req, caller) => handleMcp(core, req, caller)],
  [(t) => t === "/ws", (core, req, caller) => core.sockets.accept(req, caller)],
  [(t) => t.startsWith("/api/"), (core, req, caller, path) => dashboardApi(core, req, path, caller)],
  [
    (t) => t === "/metrics",
    (core) => new Response(core.metrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } }),
  ],
  [
    (t) => t === "/graphql",
    // graphql-js is loaded on a room's first query, not at every isolate's start (decision 0044).
    async (core, req, caller) =>
      (await import("../graphql/handler")).handleGraphql(req, {
        db: core.db,
        codec: core.codec,
        room: core.name,
        viewer: viewerOf(caller),
      }),
  ],
  [(t) => t === "/relay", (core, req, caller) => openRelay(core, req, caller)],
  [(t) => t === "/_bench/seed", benchSeed],
];

/** The path inside the room: `/r/<room>/mcp` -> `/mcp`; the default room's `/mcp` stays `/mcp`. */
function tailOf(path: string): string {
  const m = /^\/r\/[^/]+(\/.*)$/.exec(path);
  return m?.[1] ?? path;
}

/** Grows the room for the benchmark's grown-room scenario; absent unless MASC_BENCH=1. */
async function benchSeed(core: RoomCore, req: Request, caller: Caller | null): Promise<Response> {
  const body = await req.json().catch(() => null);
  if (!core.config.bench || req.method !== "POST") return Response.json({ error: "not_found" }, { status: 404 });
  if (caller && caller.role !== "admin") return Response.json({ error: "forbidden", message: "seeding needs an admin" }, { status: 403 });
  try {
    const seeded = seedRoom(core.db, Date.now(), seedSize(body));
    core.skipUnpublished();
    return Response.json({ seeded });
  } catch (err) {
    return Response.json({ error: "invalid_input", message: err instanceof Error ? err.message : String(err) }, { status: 400 });
  }
}

export async function roomFetch(core: RoomCore, req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  const tail = tailOf(path);
  const route = ROUTES.find(([match]) => match(tail))?.[1];
  if (!route) {
    await req.arrayBuffer().catch(() => undefined);
    return Response.json({ error: "not_found", message: `no room route ${path}` }, { status: 404 });
  }
  // Every room route goes through the room's auth: MCP, WebSocket, GraphQL, dashboard API, metrics.
  const oauth = req.headers.get(OAUTH_HEADER);
  const auth = oauth !== null ? oauthAuth(core, oauth) : await authenticate(core.db, Date.now(), bearerOf(req), edgeFacts(req));
  if (!auth.ok) {
    // Read the refused body to its end: the Worker is still piping it, and a reply sent before
    // that pipe finishes makes the runtime report a read after the response.
    await req.arrayBuffer().catch(() => undefined);
    return Response.json({ error: "unauthorized", message: auth.message }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return route(core, req, auth.caller, path);
}

/** An access token the Worker validated: the room still checks its room and that it is not revoked. */
function oauthAuth(core: RoomCore, raw: string) {
  const grant = checkGrant(core.db, core.name, raw);
  if (!grant.ok) return { ok: false as const, status: 401 as const, message: grant.message };
  const caller: Caller = { agent: grant.agent, role: grant.role, via: "oauth", credential: grant.grant };
  if (grant.expires_at !== undefined) caller.expires_at = grant.expires_at;
  return { ok: true as const, caller };
}
