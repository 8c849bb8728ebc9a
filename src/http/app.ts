import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { DASHBOARD_HTML } from "../dashboard/page";
import { VERSION } from "../wire/version";
import { agentCard } from "./agent-card";
import { directoryRoutes } from "./directory";
import { graphiql } from "./graphiql";
import { guessLimit } from "./guess-limit";
import { oauthRoutes } from "./oauth/routes";
import { originGuard } from "./origin";
import { toMcp } from "./relay";
import { DEFAULT_ROOM } from "./room-name";
import { toRoom } from "./rooms";

const MAX_BODY = 4 * 1024 * 1024;

export const app = new Hono<{ Bindings: Env }>();

app.use("*", originGuard());
app.use("*", guessLimit());
app.use(
  "*",
  bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: "payload_too_large", message: `body over ${MAX_BODY} bytes` }, 413) }),
);

const dashboard = (c: Context) => c.html(DASHBOARD_HTML);
directoryRoutes(app);
app.get("/r/:room/", dashboard);
app.get("/r/:room", (c) => c.redirect(`/r/${encodeURIComponent(c.req.param("room"))}/`));
app.all("/r/:room/api/*", (c) => toRoom(c, c.req.param("room")));

app.get("/health", (c) => c.json({ status: "ok", server: "masc", version: VERSION, backend: "durable-objects" }));

app.get("/.well-known/agent-card.json", (c) => c.json(agentCard(new URL(c.req.url).origin, VERSION)));

oauthRoutes(app);
app.all("/mcp", (c) => toMcp(c, DEFAULT_ROOM));
app.all("/r/:room/mcp", (c) => toMcp(c, c.req.param("room")));
app.get("/ws", (c) => toRoom(c, DEFAULT_ROOM));
app.get("/r/:room/metrics", (c) => toRoom(c, c.req.param("room")));
app.get("/graphql", (c) => graphiql(c, null));
app.get("/r/:room/graphql", (c) => graphiql(c, c.req.param("room")));
app.post("/graphql", (c) => toRoom(c, DEFAULT_ROOM));
app.post("/r/:room/graphql", (c) => toRoom(c, c.req.param("room")));
app.get("/r/:room/ws", (c) => toRoom(c, c.req.param("room")));

/** The bare Worker -> Durable Object round trip the benchmark measures everything against. */
app.post("/_bench/echo", (c) => {
  if (c.env.MASC_BENCH !== "1") return c.notFound();
  return c.env.ECHO.getByName("echo").fetch(c.req.raw);
});
/** The same round trip with one row written and committed: the floor of a write (decision 0043). */
app.post("/_bench/echo-write", (c) => (c.env.MASC_BENCH === "1" ? c.env.ECHO.getByName("echo-write").fetch(c.req.raw) : c.notFound()));

app.post("/r/:room/_bench/seed", (c) => (c.env.MASC_BENCH === "1" ? toRoom(c, c.req.param("room")) : c.notFound()));

app.notFound((c) => c.json({ error: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
app.onError((err, c) => {
  console.error("unhandled", err);
  return c.json({ error: "internal_error", message: err.message }, 500);
});
