import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Room } from "../../src/room-host/room";
import { CIMD_CLIENT_ID } from "../helpers/cimd-host";
import { call, connect, modernCallHeaders } from "./mcp";
import { mcpUrl, ORIGIN, openConsent, REDIRECT, register, signIn, submit, token } from "./oauth-flow";
import { oauthRoom, rawCall } from "./oauth-room";
import { openSocket } from "./ws";

const ROOM = "oauthroom";
const OTHER = "oauthother";
const room = oauthRoom(ROOM);
const { admin, invite } = room;
let secret = "";
let clientId = "";

describe("OAuth sign-in for remote rooms", () => {
  beforeAll(async () => {
    await room.setUp();
    await oauthRoom(OTHER).setUp();
    secret = room.secret;
    clientId = room.clientId;
  });

  it("answers a request without a token with 401 naming the room's protected-resource metadata", async () => {
    const res = await exports.default.fetch(mcpUrl(ROOM), { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/r/${ROOM}/mcp"`,
    );
    await res.text();
    const prm = (await (await exports.default.fetch(`${ORIGIN}/.well-known/oauth-protected-resource/r/${ROOM}/mcp`)).json()) as Record<
      string,
      unknown
    >;
    expect(prm.resource).toBe(`${ORIGIN}/r/${ROOM}/mcp`);
    expect(prm.authorization_servers).toEqual([ORIGIN]);
    const root = (await (await exports.default.fetch(`${ORIGIN}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    expect(root.resource).toBe(`${ORIGIN}/mcp`);
    const as = (await (await exports.default.fetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/authorize`,
      token_endpoint: `${ORIGIN}/token`,
      registration_endpoint: `${ORIGIN}/register`,
      code_challenge_methods_supported: ["S256"],
      client_id_metadata_document_supported: true,
    });
  });

  it("keeps an open room open without a token", async () => {
    const res = await rawCall("oauthopen", "");
    // An empty bearer is no credential: the open room answers as before.
    expect(res.status).toBe(200);
    await res.text();
  });

  it("shows room, client, redirect host, then the invite's agent and role; escapes what the client sent", async () => {
    const evil = await register(`<script>alert(1)</script>"'&`);
    const started = await openConsent(evil, ROOM);
    expect(started.status).toBe(200);
    expect(started.html).not.toContain("<script>alert");
    expect(started.html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;");
    expect(started.html).toContain(`<dd id="room">${ROOM}</dd>`);
    expect(started.html).toContain(`<dd id="redirect-host">127.0.0.1</dd>`);
    expect(started.html).toContain('name="invite"');
    expect(started.cookie).toMatch(/^__Host-oauth-consent/);
    const code = await invite("ann", "worker");
    const next = await submit(started, { invite: code, step: "continue" });
    expect(next.status).toBe(200);
    const html = await next.text();
    expect(html).toContain('<strong id="agent">ann</strong>');
    expect(html).toContain('<strong id="role">worker</strong>');
    expect(html).toContain('value="approve"');
    expect(next.headers.get("x-frame-options")).toBe("DENY");
  });

  it("signs in with an invite: the token is one room, one agent, one role", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("bob", "worker"));
    expect(tokens.token_type?.toLowerCase()).toBe("bearer");
    expect(tokens.resource).toBe(mcpUrl(ROOM));
    const { client } = await connect(ROOM, "bob", { stream: false, token: tokens.access_token });
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_join", { agent_name: "bob" })).isError).toBe(false);
    expect((await call(client, "masc_auth_status")).json.you).toEqual({ agent: "bob", role: "worker", via: "oauth" });
    expect((await call(client, "masc_add_task", { title: "from oauth" })).isError).toBe(false);
    expect((await call(client, "masc_join", { agent_name: "mallory" })).text).toMatch(/^forbidden: your token is for bob/);
    expect((await call(client, "masc_gc")).text).toMatch(/^forbidden: masc_gc needs role admin/);
    expect((await call(client, "masc_auth_invite", { agent_name: "x" })).text).toMatch(/^forbidden/);
    await client.close();

    const other = await rawCall(OTHER, tokens.access_token ?? "");
    expect(other.status).toBe(401);
    expect(other.headers.get("www-authenticate")).toContain('error="invalid_token"');
    await other.text();

    const a = await admin();
    const listed = (await call(a, "masc_auth_list")).json;
    expect(listed.oauth).toContainEqual(expect.objectContaining({ agent: "bob", role: "worker", client: "Test client", active: true }));
    await a.close();
  });

  it("serves the 2026-07-28 stateless lane to an OAuth token as the same agent and role", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("neo", "reader"));
    const post = async (bearer: string) => {
      const res = await exports.default.fetch(mcpUrl(ROOM), {
        method: "POST",
        headers: modernCallHeaders("masc_add_task", { authorization: `Bearer ${bearer}` }),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 9,
          method: "tools/call",
          params: {
            name: "masc_add_task",
            arguments: { title: "from a reader" },
            _meta: {
              "io.modelcontextprotocol/protocolVersion": "2026-07-28",
              "io.modelcontextprotocol/clientCapabilities": {},
              "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
            },
          },
        }),
      });
      return { status: res.status, text: await res.text() };
    };
    const reader = await post(tokens.access_token ?? "");
    expect(reader.status, reader.text).toBe(200);
    expect(reader.text).toContain("masc_add_task needs role worker; neo is reader");
    expect((await post("u~x:g:forged")).status).toBe(401);
  });

  it("counts an OAuth agent's writes against the same rate limits as a room token's", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("rex"));
    const { client } = await connect(ROOM, "rex", { stream: false, token: tokens.access_token });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "rex" });
    const replies = [];
    for (let i = 0; i < 20; i++) replies.push(await call(client, "masc_lock", { agent_name: "rex", file: `src/f${i}.ts` }));
    expect(replies.filter((r) => r.isError && r.text.startsWith("rate_limited")).length).toBeGreaterThan(0);
    expect(replies[0]?.isError).toBe(false);
    await client.close();
  });

  it("rotates refresh tokens and refuses the old one once the new one is used", async () => {
    const first = await signIn(clientId, ROOM, await invite("cat"));
    const refresh = (rt: string) => token({ grant_type: "refresh_token", refresh_token: rt, client_id: clientId, resource: mcpUrl(ROOM) });
    const second = await refresh(first.refresh_token ?? "");
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const third = await refresh(second.body.refresh_token ?? "");
    expect(third.status).toBe(200);
    const replay = await refresh(first.refresh_token ?? "");
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    const res = await rawCall(ROOM, third.body.access_token ?? "");
    expect(res.status).toBe(200);
    await res.text();
  });

  it("revoking the agent ends its OAuth sign-in: next call 401, refresh refused", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("dan"));
    const ok = await rawCall(ROOM, tokens.access_token ?? "");
    expect(ok.status).toBe(200);
    await ok.text();
    const a = await admin();
    expect((await call(a, "masc_auth_revoke", { agent_name: "dan" })).json.revoked_oauth).toBe(1);
    await a.close();
    const after = await rawCall(ROOM, tokens.access_token ?? "");
    expect(after.status).toBe(401);
    expect(await after.text()).toContain("revoked");
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "", client_id: clientId });
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("revoking an OAuth sign-in closes its WebSocket and GET stream at once", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("gil"));
    const bearer = tokens.access_token ?? "";
    const init = await rawCall(ROOM, bearer);
    const sid = init.headers.get("mcp-session-id") ?? "";
    await init.text();
    const headers = { authorization: `Bearer ${bearer}`, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
    const done = await exports.default.fetch(mcpUrl(ROOM), {
      method: "POST",
      headers: { ...headers, accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    await done.text();
    const stream = await exports.default.fetch(mcpUrl(ROOM), { headers: { ...headers, accept: "text/event-stream" } });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return;
    })();
    const sock = await openSocket(`/r/${ROOM}/ws?kind=client&agent=gil&token=${encodeURIComponent(bearer)}`);
    await sock.next((f) => f.type === "welcome");
    const other = (await signIn(clientId, ROOM, await invite("guy"))).access_token ?? "";
    const bystander = await openSocket(`/r/${ROOM}/ws?kind=client&agent=guy&token=${encodeURIComponent(other)}`);
    await bystander.next((f) => f.type === "welcome");

    const a = await admin();
    expect((await call(a, "masc_auth_revoke", { agent_name: "gil" })).json.revoked_oauth).toBe(1);
    await ended;
    expect(await sock.closed).toBe(4401);
    // Another agent's sign-in is untouched: its socket still gets what happens next.
    await call(a, "masc_join", { agent_name: "boss" });
    const sent = await call(a, "masc_broadcast", { agent_name: "boss", message: "@guy still here" });
    await bystander.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sent.json.seq);
    bystander.ws.close();
    await a.close();
  });

  it("a client's own revocation (RFC 7009) ends the token", async () => {
    const tokens = await signIn(clientId, ROOM, await invite("eve"));
    const res = await exports.default.fetch(`${ORIGIN}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.access_token ?? "", client_id: clientId }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const after = await rawCall(ROOM, tokens.access_token ?? "");
    expect(after.status).toBe(401);
    await after.text();
  });

  it("keeps static tokens and the room secret working beside OAuth", async () => {
    const a = await admin();
    const minted = await call(a, "masc_auth_create_token", { agent_name: "static", role: "reader" });
    await a.close();
    for (const bearer of [minted.json.token, secret]) {
      const res = await rawCall(ROOM, bearer);
      expect(res.status).toBe(200);
      await res.text();
    }
  });

  it("mints invites from the dashboard API for admins only, with clear errors for bad fields", async () => {
    const a = await admin();
    const worker = (await call(a, "masc_auth_create_token", { agent_name: "w1", role: "worker" })).json.token;
    await a.close();
    const post = (bearer: string, body: unknown) =>
      exports.default.fetch(`${ORIGIN}/r/${ROOM}/api/invite`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const refused = await post(worker, { agent_name: "zed" });
    expect(refused.status).toBe(403);
    await refused.text();
    const noToken = await exports.default.fetch(`${ORIGIN}/r/${ROOM}/api/invite`, { method: "POST", body: "{}" });
    expect(noToken.status).toBe(401);
    await noToken.text();
    for (const [body, field] of [
      [{ agent_name: "a b" }, "agent_name"],
      [{ agent_name: "zed", role: "root" }, "role"],
      [{ agent_name: "zed", ttl_minutes: 0 }, "ttl_minutes"],
      [{ agent_name: "zed", __proto__x: 1 }, "__proto__x"],
    ] as const) {
      const res = await post(secret, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(field);
    }
    const ok = await post(secret, { agent_name: "zed", role: "reader" });
    expect(ok.status).toBe(200);
    const minted = (await ok.json()) as { invite: string };
    const check = await runInDurableObject(env.ROOM.getByName(ROOM), (room: Room) => room.inspectInvite(minted.invite));
    expect(check).toMatchObject({ ok: true, agent: "zed", role: "reader" });
  });

  it("signs in a Client ID Metadata Document client: its id is its URL, its name and domain come from the document", async () => {
    const started = await openConsent(CIMD_CLIENT_ID, ROOM);
    expect(started.status).toBe(200);
    expect(started.html).toContain('<dd id="client">CIMD test client</dd>');
    expect(started.html).toContain("Published by <strong>client.example</strong>");
    const res = await submit(started, { invite: await invite("cimd"), step: "approve" });
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const tokens = await token({
      grant_type: "authorization_code",
      code,
      code_verifier: started.verifier,
      client_id: CIMD_CLIENT_ID,
      redirect_uri: REDIRECT,
      resource: mcpUrl(ROOM),
    });
    expect(tokens.status).toBe(200);
    const ok = await rawCall(ROOM, tokens.body.access_token ?? "");
    expect(ok.status).toBe(200);
    await ok.text();
    const unknown = await openConsent("https://client.example/oauth/missing.json", ROOM);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("invalid_client");
  });

  it("never trusts an x-masc-oauth header sent by a client", async () => {
    // Props naming a real, active grant: only the Worker's own header may carry them.
    const grant = await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) =>
      String(state.storage.sql.exec("SELECT id FROM oauth_grants WHERE revoked_at IS NULL LIMIT 1").one().id),
    );
    const agent = await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) =>
      String(state.storage.sql.exec("SELECT agent FROM oauth_grants WHERE id = ?", grant).one().agent),
    );
    const forged = JSON.stringify({ room: ROOM, agent, role: "worker", grant });
    const res = await rawCall(ROOM, "", { "x-masc-oauth": forged, "X-Masc-OAuth": forged });
    expect(res.status).toBe(401);
    await res.text();
  });
});
