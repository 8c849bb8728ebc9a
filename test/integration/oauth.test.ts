import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/room/oauth";
import type { Room } from "../../src/room/room";
import { CIMD_CLIENT_ID } from "../helpers/cimd-host";
import { call, connect } from "./mcp";
import { authorizeUrl, mcpUrl, ORIGIN, openConsent, REDIRECT, register, signIn, submit, token } from "./oauth-flow";
import { openSocket } from "./ws";

const ROOM = "oauthroom";
const OTHER = "oauthother";
let secret = "";
let clientId = "";

async function admin() {
  const { client } = await connect(ROOM, "admin", { stream: false, token: secret });
  await call(client, "masc_switch_mode", { mode: "full" });
  return client;
}

async function invite(agent: string, role = "worker"): Promise<string> {
  const a = await admin();
  const minted = await call(a, "masc_auth_invite", { agent_name: agent, role });
  await a.close();
  expect(minted.json.invite).toMatch(/^masc_invite_/);
  return minted.json.invite;
}

const grantCount = () =>
  runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM oauth_grants").one().n),
  );

const rawCall = (room: string, bearer: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(mcpUrl(room), {
    method: "POST",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      authorization: `Bearer ${bearer}`,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });

describe("OAuth sign-in for remote rooms", () => {
  beforeAll(async () => {
    for (const room of [ROOM, OTHER]) {
      const { client } = await connect(room, "setup", { stream: false });
      await call(client, "masc_switch_mode", { mode: "full" });
      const enabled = await call(client, "masc_auth_enable");
      if (room === ROOM) secret = enabled.json.room_secret;
      await client.close();
    }
    clientId = await register();
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

describe("OAuth bad input is refused with the RFC's error and grants nothing", () => {
  beforeAll(async () => {
    if (!secret) {
      const { client } = await connect(ROOM, "setup", { stream: false });
      await call(client, "masc_switch_mode", { mode: "full" });
      secret = (await call(client, "masc_auth_enable")).json.room_secret;
      await client.close();
    }
    clientId ||= await register();
  });

  it("unknown client and wrong redirect URI: invalid_request shown on the page, never redirected", async () => {
    const unknown = await openConsent("no-such-client", ROOM);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("invalid_request");
    const wrong = await openConsent(clientId, ROOM, { redirect_uri: "http://127.0.0.1:4999/elsewhere" });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain("invalid_request");
    expect(wrong.handle).toBe("");
  });

  it("a resource that is no room of this server: invalid_target", async () => {
    const { url } = await authorizeUrl(clientId, ROOM, { resource: "https://evil.example/mcp" });
    const res = await exports.default.fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_target");
  });

  it("reused code, wrong PKCE verifier and wrong resource at the token endpoint: invalid_grant / invalid_target", async () => {
    const started = await openConsent(clientId, ROOM);
    const res = await submit(started, { invite: await invite("fay"), step: "approve" });
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const base = { grant_type: "authorization_code", code, client_id: clientId, redirect_uri: REDIRECT };
    const wrongResource = await token({ ...base, code_verifier: started.verifier, resource: mcpUrl(OTHER) });
    expect(wrongResource.body.error).toBe("invalid_target");
    const wrongVerifier = await token({ ...base, code_verifier: "x".repeat(43), resource: mcpUrl(ROOM) });
    expect(wrongVerifier.body.error).toBe("invalid_grant");
    const first = await token({ ...base, code_verifier: started.verifier, resource: mcpUrl(ROOM) });
    // A failed verifier may burn the code (RFC 6749 §4.1.2 lets the server revoke on misuse).
    if (first.status === 200) {
      const reused = await token({ ...base, code_verifier: started.verifier, resource: mcpUrl(ROOM) });
      expect(reused.body.error).toBe("invalid_grant");
    } else {
      expect(first.body.error).toBe("invalid_grant");
    }
    const again = await openConsent(clientId, ROOM);
    const r2 = await submit(again, { invite: await invite("gus"), step: "approve" });
    const code2 = new URL(r2.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const ok = await token({ ...base, code: code2, code_verifier: again.verifier, resource: mcpUrl(ROOM) });
    expect(ok.status).toBe(200);
    const reused = await token({ ...base, code: code2, code_verifier: again.verifier, resource: mcpUrl(ROOM) });
    expect(reused.body.error).toBe("invalid_grant");
  });

  it("a tampered form handle or a missing browser cookie: refused, the invite stays unused", async () => {
    const code = await invite("hal");
    const before = await grantCount();
    const started = await openConsent(clientId, ROOM);
    const tampered = await submit({ ...started, handle: `${started.handle}x` }, { invite: code, step: "approve" });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("invalid_request");
    const noCookie = await submit(started, { invite: code, step: "approve" }, "");
    expect(noCookie.status).toBe(400);
    await noCookie.text();
    expect(await grantCount()).toBe(before);
    // The invite is still good for the real browser.
    const ok = await submit(started, { invite: code, step: "approve" });
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
  });

  it("an invite used twice or expired: access_denied back to the client, nothing granted", async () => {
    const code = await invite("ivy");
    await signIn(clientId, ROOM, code);
    const before = await grantCount();
    const second = await openConsent(clientId, ROOM);
    const twice = await submit(second, { invite: code, step: "approve" });
    const loc = new URL(twice.headers.get("location") ?? "");
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("error_description")).toContain("already used");
    expect(loc.searchParams.get("state")).toBe("st-123");
    expect(loc.searchParams.get("code")).toBeNull();

    const expired = await runInDurableObject(env.ROOM.getByName(ROOM), (room: Room) =>
      createInvite(room.core.db, Date.now() - 7_200_000, "jon", "worker", 1, null),
    );
    const third = await openConsent(clientId, ROOM);
    const preview = await submit(third, { invite: expired.invite, step: "continue" });
    expect(preview.status).toBe(400);
    expect(await preview.text()).toContain("expired");
    const late = await submit(third, { invite: expired.invite, step: "approve" });
    expect(new URL(late.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
    expect(await grantCount()).toBe(before);
  });

  it("Deny sends access_denied with the client's state", async () => {
    const started = await openConsent(clientId, ROOM);
    const denied = await submit(started, { step: "deny" });
    expect(denied.status).toBe(302);
    const loc = new URL(denied.headers.get("location") ?? "");
    expect(loc.origin + loc.pathname).toBe(REDIRECT);
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("state")).toBe("st-123");
  });

  it("the owner secret signs in as the agent and role chosen on the page", async () => {
    expect(env.MASC_ADMIN_SECRET).toBeTruthy();
    const started = await openConsent(clientId, ROOM);
    const preview = await submit(started, { invite: env.MASC_ADMIN_SECRET ?? "", step: "continue" });
    expect(await preview.text()).toContain('name="agent_name"');
    const bad = await openConsent(clientId, ROOM);
    const badRole = await submit(bad, { invite: env.MASC_ADMIN_SECRET ?? "", step: "approve", agent_name: "kim", role: "root" });
    expect(new URL(badRole.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
    const ok = await submit(started, { invite: env.MASC_ADMIN_SECRET ?? "", step: "approve", agent_name: "kim", role: "admin" });
    const code = new URL(ok.headers.get("location") ?? "").searchParams.get("code");
    expect(code).toBeTruthy();
  });
});
