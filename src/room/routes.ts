import { dashboardApi } from "../dashboard/api";
import { handleGraphql } from "../graphql/handler";
import { handleMcp } from "../mcp/endpoint";
import { authenticate, bearerOf, type Caller, edgeFacts } from "./auth";
import type { RoomCore } from "./core";
import { viewerOf } from "./visibility";

type Route = (core: RoomCore, req: Request, caller: Caller | null, path: string) => Promise<Response> | Response;

/** The room's HTTP surface, by the last segment of the path the Worker forwarded. */
const ROUTES: Array<[(path: string) => boolean, Route]> = [
  [(p) => p.endsWith("/mcp"), (core, req, caller) => handleMcp(core, req, caller)],
  [(p) => p.endsWith("/ws"), (core, req, caller) => core.sockets.accept(req, caller)],
  [(p) => p.includes("/api/"), (core, req, caller, path) => dashboardApi(core, req, path, caller)],
  [
    (p) => p.endsWith("/metrics"),
    (core) => new Response(core.metrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } }),
  ],
  [
    (p) => p.endsWith("/graphql"),
    (core, req, caller) => handleGraphql(req, { db: core.db, codec: core.codec, room: core.name, viewer: viewerOf(caller) }),
  ],
];

export async function roomFetch(core: RoomCore, req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  const route = ROUTES.find(([match]) => match(path))?.[1];
  if (!route) return Response.json({ error: "not_found", message: `no room route ${path}` }, { status: 404 });
  // Every room route goes through the room's auth: MCP, WebSocket, GraphQL, dashboard API, metrics.
  const auth = await authenticate(core.db, Date.now(), bearerOf(req), edgeFacts(req));
  if (!auth.ok) {
    // Read the refused body to its end: the Worker is still piping it, and a reply sent before
    // that pipe finishes makes the runtime report a read after the response.
    await req.arrayBuffer().catch(() => undefined);
    return Response.json({ error: "unauthorized", message: auth.message }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return route(core, req, auth.caller, path);
}
