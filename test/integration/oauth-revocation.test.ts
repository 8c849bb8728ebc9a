import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { mcpUrl, ORIGIN, openConsent, REDIRECT, register, signIn, submit, token } from "./oauth-flow";
import { accessStatus, expectAllClosed, grantActive, openAll, refresh, revoke } from "./oauth-opened";
import { oauthRoom } from "./oauth-room";

/** Issue 26, findings 1, 2 and 4: every way an OAuth sign-in ends, ends it in the room too. */

describe("a client's own revocation (RFC 7009) ends the sign-in in the room", () => {
  const ROOM = "oauth-client-revoke";
  const room = oauthRoom(ROOM);
  beforeAll(room.setUp, 30_000);

  it("revoking the refresh token: the access token, WebSocket, GET stream and listen stream end; the list shows it ended", async () => {
    const tokens = await signIn(room.clientId, ROOM, await room.invite("rae"));
    const access = tokens.access_token ?? "";
    // Validated once, so the edge remembers it.
    expect(await accessStatus(ROOM, access)).toBe(200);
    const opened = await openAll(ROOM, "rae", access);
    expect(await revoke(room.clientId, tokens.refresh_token ?? "", "refresh_token")).toBe(200);
    expect(await accessStatus(ROOM, access)).toBe(401);
    await expectAllClosed(opened);
    expect(await grantActive(ROOM, "rae")).toBe(false);
    const a = await room.admin();
    expect((await call(a, "masc_auth_list")).json.oauth).toContainEqual(expect.objectContaining({ agent: "rae", active: false }));
    await a.close();
  });

  it("revoking the access token ends the whole sign-in: its refresh is refused and what it opened closes", async () => {
    const tokens = await signIn(room.clientId, ROOM, await room.invite("ray"));
    const access = tokens.access_token ?? "";
    const opened = await openAll(ROOM, "ray", access);
    expect(await revoke(room.clientId, access)).toBe(200);
    expect(await accessStatus(ROOM, access)).toBe(401);
    await expectAllClosed(opened);
    expect((await refresh(ROOM, room.clientId, tokens.refresh_token ?? "")).body.error).toBe("invalid_grant");
    expect(await grantActive(ROOM, "ray")).toBe(false);
  });

  it("a grant the library kills for a replayed code stops its access token at once, though the edge had it cached", async () => {
    const invite = await room.invite("rod");
    const started = await openConsent(room.clientId, ROOM);
    const approved = await submit(started, { invite, step: "approve" });
    const code = new URL(approved.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const exchange = {
      grant_type: "authorization_code",
      code,
      code_verifier: started.verifier,
      client_id: room.clientId,
      redirect_uri: REDIRECT,
      resource: mcpUrl(ROOM),
    };
    const first = await token(exchange);
    expect(first.status).toBe(200);
    const access = first.body.access_token ?? "";
    expect(await accessStatus(ROOM, access)).toBe(200);
    const replay = await token(exchange);
    expect(replay.body.error).toBe("invalid_grant");
    expect(await accessStatus(ROOM, access)).toBe(401);
    expect(await grantActive(ROOM, "rod")).toBe(false);
  });

  it("a forged token naming a live grant, or another client revoking a real one, ends nothing", async () => {
    const tokens = await signIn(room.clientId, ROOM, await room.invite("rex"));
    const access = tokens.access_token ?? "";
    const [userId, grantId] = access.split(":");
    expect(await revoke(room.clientId, `${userId}:${grantId}:forged-secret`)).toBe(200);
    expect(await revoke(room.clientId, `${userId}:${grantId}:forged-secret`, "refresh_token")).toBe(200);
    const otherClient = await register("Another client");
    expect(await revoke(otherClient, access)).toBe(200);
    expect(await revoke(otherClient, tokens.refresh_token ?? "", "refresh_token")).toBe(200);
    expect(await accessStatus(ROOM, access)).toBe(200);
    expect(await grantActive(ROOM, "rex")).toBe(true);
    expect((await refresh(ROOM, room.clientId, tokens.refresh_token ?? "")).status).toBe(200);
  });
});

describe("a refresh token used after its rotation revokes the whole sign-in (RFC 9700 §4.14.2)", () => {
  const ROOM = "oauth-refresh-reuse";
  const room = oauthRoom(ROOM);
  beforeAll(room.setUp, 30_000);

  it("the old refresh token gets nothing, and the newer tokens, socket and streams of that sign-in end", async () => {
    const first = await signIn(room.clientId, ROOM, await room.invite("rue"));
    const second = await refresh(ROOM, room.clientId, first.refresh_token ?? "");
    expect(second.status).toBe(200);
    const access = second.body.access_token ?? "";
    const opened = await openAll(ROOM, "rue", access);
    // As a browser client sends it: the refusal is readable there (CORS) and never cached.
    const reused = await exports.default.fetch(`${ORIGIN}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token ?? "", client_id: room.clientId }),
    });
    expect(reused.status).toBe(400);
    expect(reused.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(reused.headers.get("cache-control")).toContain("no-store");
    const body = (await reused.json()) as Record<string, string>;
    expect(body.error).toBe("invalid_grant");
    expect(body.error_description).toContain("already exchanged");
    expect(body.access_token).toBeUndefined();
    expect((await refresh(ROOM, room.clientId, second.body.refresh_token ?? "")).body.error).toBe("invalid_grant");
    expect(await accessStatus(ROOM, access)).toBe(401);
    expect(await accessStatus(ROOM, first.access_token ?? "")).toBe(401);
    await expectAllClosed(opened);
    expect(await grantActive(ROOM, "rue")).toBe(false);
  });

  it("a client that refreshes in turn keeps its sign-in: each new refresh token works once", async () => {
    let current = await signIn(room.clientId, ROOM, await room.invite("ros"));
    for (let i = 0; i < 3; i++) {
      const next = await refresh(ROOM, room.clientId, current.refresh_token ?? "");
      expect(next.status).toBe(200);
      current = next.body;
    }
    expect(await accessStatus(ROOM, current.access_token ?? "")).toBe(200);
    expect(await grantActive(ROOM, "ros")).toBe(true);
  });
});

describe("disabling auth ends every OAuth sign-in and unused invite, also after auth is on again", () => {
  const ROOM = "oauth-disable";
  const room = oauthRoom(ROOM);
  beforeAll(room.setUp, 30_000);

  it("access token, refresh, socket, streams and a pending invite all end", async () => {
    const tokens = await signIn(room.clientId, ROOM, await room.invite("dee"));
    const access = tokens.access_token ?? "";
    const opened = await openAll(ROOM, "dee", access);
    const pending = await room.invite("dex");
    const a = await room.admin();
    const disabled = await call(a, "masc_auth_disable");
    await a.close().catch(() => undefined);
    expect(await accessStatus(ROOM, access)).toBe(401);
    await expectAllClosed(opened);
    expect(disabled.json).toEqual({ enabled: false, revoked: { tokens: 0, oauth: 1, invites: 1 } });
    // Back on, from the machine itself, with a new room secret.
    const { client: local } = await connect(ROOM, "setup", { stream: false });
    await call(local, "masc_switch_mode", { mode: "full" });
    expect((await call(local, "masc_auth_enable")).json.room_secret).toMatch(/^masc_secret_/);
    await local.close();

    expect(await accessStatus(ROOM, access)).toBe(401);
    expect((await refresh(ROOM, room.clientId, tokens.refresh_token ?? "")).body.error).toBe("invalid_grant");
    const started = await openConsent(room.clientId, ROOM);
    const shown = await submit(started, { invite: pending, step: "continue" });
    expect(shown.status).toBe(400);
    expect(await shown.text()).toContain("withdrawn");
    const approved = await submit(started, { invite: pending, step: "approve" });
    expect(new URL(approved.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
    expect(await grantActive(ROOM, "dee")).toBe(false);
    expect(await grantActive(ROOM, "dex")).toBe(false);
  });
});
