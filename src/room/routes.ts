import { dashboardApi } from "../dashboard/api";
import { handleGraphql } from "../graphql/handler";
import type { RoomCore } from "./core";

/** The room's HTTP surface, by the last segment of the path the Worker forwarded. */
export async function roomFetch(core: RoomCore, req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (path.endsWith("/mcp")) return core.sessions.handle(req);
  if (path.endsWith("/ws")) return core.sockets.accept(req);
  if (path.includes("/api/")) return dashboardApi(core, req, path);
  if (path.endsWith("/metrics"))
    return new Response(core.metrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  if (path.endsWith("/graphql")) return handleGraphql(req, { db: core.db, codec: core.codec, room: core.name });
  return Response.json({ error: "not_found", message: `no room route ${path}` }, { status: 404 });
}
