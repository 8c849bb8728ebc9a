import { describe, expect, it } from "vitest";
import { connectPublic, deployedFetch, OWNER_SECRET, publicUrl } from "./edge";
import { call, connect } from "./mcp";

const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const init = (room: string, headers: Record<string, string> = {}, fetcher = deployedFetch()) =>
  fetcher(publicUrl(`/r/${room}/mcp`), {
    method: "POST",
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json", ...headers },
    body: initBody,
  });

const gqlBody = JSON.stringify({ query: "{ status { project } }" });

describe("a room on a public host is closed by default", () => {
  it("answers 403 saying how to set the owner secret when the Worker has none", async () => {
    const fetcher = deployedFetch(null);
    for (const path of ["/r/fresh/mcp", "/r/fresh/ws", "/r/fresh/graphql", "/r/fresh/api/overview", "/metrics"]) {
      // GET /graphql is the GraphiQL page (static, no room data); the room surface is the POST.
      const res = await fetcher(publicUrl(path), {
        method: path.endsWith("mcp") || path.endsWith("graphql") ? "POST" : "GET",
        body: path.endsWith("mcp") ? initBody : path.endsWith("graphql") ? gqlBody : undefined,
      });
      expect(res.status, path).toBe(403);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("owner_secret_missing");
      expect(body.message).toContain("wrangler secret put MASC_ADMIN_SECRET");
    }
    for (const weak of ["   ", "too-short"]) expect((await deployedFetch(weak)(publicUrl("/r/fresh/metrics"))).status).toBe(403);
  });

  it("needs a credential from the first request on every room surface", async () => {
    expect((await init("first")).status).toBe(401);
    for (const path of [
      "/r/first/graphql",
      "/r/first/api/overview",
      "/r/first/metrics",
      "/r/first/api/hook?agent=x",
      "/api/rooms",
      "/metrics",
    ]) {
      const gql = path.endsWith("graphql");
      const res = await deployedFetch()(publicUrl(path), gql ? { method: "POST", body: gqlBody } : {});
      expect(res.status, path).toBe(401);
      await res.text();
    }
    const ws = await deployedFetch()(publicUrl("/r/first/ws?kind=dashboard"), { headers: { upgrade: "websocket" } });
    expect(ws.status).toBe(401);
    expect(ws.webSocket).toBeNull();
  });

  it("ignores x-masc-* headers a client sends to pass as loopback or owner", async () => {
    const res = await init("forged", { "x-masc-loopback": "1", "x-masc-owner": "1", "X-Masc-Room": "other" });
    expect(res.status).toBe(401);
  });

  it("lets the owner secret in as admin; it mints tokens that work with their role only", async () => {
    expect((await init("owned", { authorization: "Bearer wrong-secret" })).status).toBe(401);
    const owner = await connectPublic("owned", OWNER_SECRET);
    await call(owner, "masc_switch_mode", { mode: "full" });
    const status = await call(owner, "masc_auth_status");
    expect(status.json.you).toEqual({ agent: null, role: "admin", via: "owner" });
    const minted = await call(owner, "masc_auth_create_token", { agent_name: "ann", role: "worker" });
    const admin = await call(owner, "masc_auth_create_token", { agent_name: "boss", role: "admin" });
    expect(minted.isError).toBe(false);

    const ann = await connectPublic("owned", minted.json.token);
    await call(ann, "masc_switch_mode", { mode: "full" });
    expect((await call(ann, "masc_join", { agent_name: "ann" })).isError).toBe(false);
    expect((await call(ann, "masc_join", { agent_name: "bob" })).text).toMatch(/^forbidden/);
    expect((await call(ann, "masc_auth_create_token", { agent_name: "ann2" })).text).toMatch(/^forbidden/);

    // An admin token the owner minted still cannot take the room secret of an open room.
    const boss = await connectPublic("owned", admin.json.token);
    await call(boss, "masc_switch_mode", { mode: "full" });
    const refused = await call(boss, "masc_auth_enable");
    expect(refused.text).toMatch(/^forbidden: .*loopback or the owner secret/);
    expect((await call(owner, "masc_auth_status")).json.enabled).toBe(false);

    const enabled = await call(owner, "masc_auth_enable");
    expect(enabled.json.room_secret).toMatch(/^masc_secret_/);
    for (const c of [owner, ann, boss]) await c.close();
  });

  it("keeps a room on loopback open on its first run, and lets loopback turn auth on", async () => {
    const { client } = await connect("loopback-open", "dev", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_join", { agent_name: "dev" })).isError).toBe(false);
    expect((await call(client, "masc_auth_enable")).json.room_secret).toMatch(/^masc_secret_/);
    await client.close();
  });
});
