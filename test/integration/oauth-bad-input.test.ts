import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createInvite } from "../../src/room/oauth";
import type { Room } from "../../src/room-host/room";
import { authorizeUrl, mcpUrl, ORIGIN, openConsent, REDIRECT, signIn, submit, token } from "./oauth-flow";
import { oauthRoom } from "./oauth-room";

const ROOM = "oauthbad";
const OTHER = "oauthbad2";
const room = oauthRoom(ROOM);
const { invite, grantCount } = room;
let clientId = "";

describe("OAuth bad input is refused with the RFC's error and grants nothing", () => {
  beforeAll(async () => {
    await room.setUp();
    await oauthRoom(OTHER).setUp();
    clientId = room.clientId;
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
    const unknownClient = await token({ ...base, client_id: "no-such-client", code_verifier: started.verifier });
    expect(unknownClient.body.error).toBe("invalid_client");
    const wrongRedirect = await token({ ...base, redirect_uri: "http://127.0.0.1:4999/other", code_verifier: started.verifier });
    expect(wrongRedirect.body.error).toBe("invalid_grant");
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
    const back = new URL(ok.headers.get("location") ?? "");
    expect(back.searchParams.get("code")).toBeTruthy();
    // The client's state comes back as it sent it, with the issuer (RFC 9207).
    expect(back.searchParams.get("state")).toBe("st-123");
    expect(back.searchParams.get("iss")).toBe(ORIGIN);
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

    const expired = await runInDurableObject(env.ROOM.getByName(ROOM), (r: Room) =>
      createInvite(r.core.db, Date.now() - 7_200_000, "jon", "worker", 1, null),
    );
    const third = await openConsent(clientId, ROOM);
    const preview = await submit(third, { invite: expired.invite, step: "continue" });
    expect(preview.status).toBe(400);
    // "expired", or "not valid" once the room's alarm has dropped it: refused either way.
    expect(await preview.text()).toMatch(/expired|not valid/);
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
