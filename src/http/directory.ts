import type { Context, Hono } from "hono";
import { LANDING_HTML } from "../dashboard/landing";
import { MAX_LISTED } from "../directory/entries";
import { isOwnerSecret, ownerSecretOf } from "../room/auth";
import { headerBearer, ROOM_HEADER } from "../wire/edge";
import { directorySeries, mergeExpositions } from "./metrics-merge";
import { isLoopbackRequest } from "./origin";
import { ROOM_NAME_RE } from "./room-name";
import { noOwnerSecret } from "./rooms";

type Ctx = Context<{ Bindings: Env }>;

/** Rooms whose full series one /metrics scrape gathers: one subrequest each, so it stays bounded. */
export const METRICS_FANOUT = 40;

/** What the caller may see of the directory: every room, or only rooms without auth (open anyway). */
type Access = { all: boolean } | { denied: Response };

/** An admin token is one room's: the page names that room in ?room=, and the room says who it is. */
async function isRoomAdmin(env: Env, room: string, bearer: string): Promise<boolean> {
  const req = new Request(`https://room.internal/r/${room}/api/whoami`, {
    headers: { authorization: `Bearer ${bearer}`, [ROOM_HEADER]: room },
  });
  const res = await env.ROOM.getByName(room).fetch(req);
  if (!res.ok) return false;
  const me = (await res.json()) as { role?: string; via?: string };
  // "open" is a room without auth: anyone is admin there, which says nothing about the bearer.
  return me.role === "admin" && me.via !== "open";
}

export async function directoryAccess(c: Ctx): Promise<Access> {
  const bearer = headerBearer(c.req.raw) ?? "";
  const loopback = isLoopbackRequest(c.req.raw);
  if (!loopback && !ownerSecretOf(c.env.MASC_ADMIN_SECRET)) return { denied: noOwnerSecret(c) };
  if (bearer) {
    if (await isOwnerSecret(bearer, c.env.MASC_ADMIN_SECRET)) return { all: true };
    const room = c.req.query("room");
    if (room && ROOM_NAME_RE.test(room) && (await isRoomAdmin(c.env, room, bearer))) return { all: true };
  }
  if (loopback) return { all: false };
  return {
    denied: c.json(
      { error: "unauthorized", message: "the room directory needs the owner secret or a room's admin token (with ?room=<its room>)" },
      401,
      { "www-authenticate": "Bearer" },
    ),
  };
}

function directory(env: Env) {
  return env.DIRECTORY.getByName("rooms");
}

async function rooms(c: Ctx): Promise<Response> {
  const access = await directoryAccess(c);
  if ("denied" in access) return access.denied;
  const raw = c.req.query("limit");
  const limit = raw === undefined ? 200 : Number(raw);
  // SQLite reads a negative LIMIT as "no limit": refuse it rather than list past MAX_LISTED.
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LISTED)
    return c.json({ error: "invalid_input", message: `limit must be an integer from 1 to ${MAX_LISTED}` }, 400);
  const listed = await directory(c.env).list(limit, !access.all);
  return c.json({ ...listed, scope: access.all ? "all" : "open_rooms" });
}

/**
 * Every room's series, labelled by room: the full series of the METRICS_FANOUT most recently
 * active rooms, and the directory's gauges for up to MAX_LISTED rooms. At 10,000 rooms a scrape
 * is 41 internal calls and says in masc_metrics_rooms_omitted how many were left out.
 */
async function metrics(c: Ctx): Promise<Response> {
  const access = await directoryAccess(c);
  if ("denied" in access) return access.denied;
  const listed = await directory(c.env).list(MAX_LISTED, !access.all);
  const top = listed.rooms.slice(0, METRICS_FANOUT);
  const texts = await Promise.all(
    top.map((r) =>
      c.env.ROOM.getByName(r.name)
        .metricsText()
        .catch((err: unknown) => {
          console.error("metrics of", r.name, err);
          return "";
        }),
    ),
  );
  const body = mergeExpositions([...texts, directorySeries(listed.rooms, listed.total, top.length)]);
  return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
}

/** The landing page, the room list behind it and the top-level metrics. */
export function directoryRoutes(app: Hono<{ Bindings: Env }>): void {
  app.get("/", (c) => c.html(LANDING_HTML));
  app.get("/api/rooms", rooms);
  app.get("/metrics", metrics);
  app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
}
