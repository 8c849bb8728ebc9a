import type { Context } from "hono";
import { SDL } from "../graphql/sdl";
import { ROOM_NAME_RE } from "./room-name";

/** The original's first GraphQL example; GraphiQL opens with it. */
export const SAMPLE_QUERY = "{ status { project paused } }";

const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** GraphiQL for one room; the bundle is a static asset built from node_modules (no CDN). */
export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>masc GraphiQL</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/_static/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style></head>
<body><div id="graphiql" data-endpoint="${attr(endpoint)}" data-query="${attr(SAMPLE_QUERY)}" data-sdl="${attr(SDL)}">Loading GraphiQL…</div>
<script type="module" src="/_static/graphiql.js"></script></body></html>`;
}

/** GET /graphql and /r/<room>/graphql: a browser gets GraphiQL; queries are POSTed to the same URL. */
export function graphiql(c: Context, room: string | null): Response {
  if (room !== null && !ROOM_NAME_RE.test(room))
    return c.json({ error: "invalid_room", message: "room must be 1-64 of [A-Za-z0-9._-]" }, 400);
  return c.html(graphiqlPage(room === null ? "/graphql" : `/r/${encodeURIComponent(room)}/graphql`));
}
