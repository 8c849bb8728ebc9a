import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/http/app";
import { allowedOrigins, checkOrigin, isLoopbackRequest } from "../../src/http/origin";
import { deployedFetch, OWNER_SECRET, PUBLIC_HOST, publicUrl } from "./edge";
import { call, connect } from "./mcp";

const ACCEPT = "application/json, text/event-stream";
const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const post = (headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { accept: ACCEPT, "content-type": "application/json", ...headers },
  body: initBody,
});

describe("a plain deploy serves its own host", () => {
  it("answers /health, 401 with the OAuth challenge without a credential, 200 with the owner secret, with no host var set", async () => {
    const fetcher = deployedFetch();
    const health = await fetcher(publicUrl("/health"));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe("ok");

    for (const path of ["/mcp", "/r/deployed/mcp"]) {
      const anonymous = await fetcher(publicUrl(path), post());
      expect(anonymous.status, path).toBe(401);
      const metadata = `https://${PUBLIC_HOST}/.well-known/oauth-protected-resource${path}`;
      expect(anonymous.headers.get("www-authenticate"), path).toBe(`Bearer resource_metadata="${metadata}"`);
      await anonymous.text();
      const owner = await fetcher(publicUrl(path), post({ authorization: `Bearer ${OWNER_SECRET}` }));
      expect(owner.status, path).toBe(200);
      expect(owner.headers.get("mcp-session-id"), path).toBeTruthy();
      await owner.text();
    }
    const prm = await fetcher(publicUrl("/.well-known/oauth-protected-resource/r/deployed/mcp"));
    expect(((await prm.json()) as { resource: string }).resource).toBe(`https://${PUBLIC_HOST}/r/deployed/mcp`);
  });

  it("takes a browser on its own host, on loopback (a local MCP inspector), or listed; refuses other sites", async () => {
    const fetcher = deployedFetch();
    const owner = { authorization: `Bearer ${OWNER_SECRET}` };
    for (const origin of [`https://${PUBLIC_HOST}`, "http://localhost:6274", "http://127.0.0.1:6274"]) {
      const res = await fetcher(publicUrl("/r/deployed/mcp"), post({ ...owner, origin }));
      expect(res.status, origin).toBe(200);
      await res.text();
    }
    for (const origin of ["https://evil.example", "null", `https://${PUBLIC_HOST}.evil.example`]) {
      const res = await fetcher(publicUrl("/r/deployed/mcp"), post({ ...owner, origin }));
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain("MASC_ALLOWED_ORIGINS");
    }
    const listing = { ...env, MASC_ADMIN_SECRET: OWNER_SECRET, MASC_ALLOWED_ORIGINS: "app.example" } as Env;
    const listed = await app.fetch(new Request(publicUrl("/r/deployed/mcp"), post({ ...owner, origin: "https://app.example" })), listing);
    expect(listed.status).toBe(200);
    await listed.text();
    // On loopback, where a room may be open, a page on another site is refused even if it names the same host.
    expect(checkOrigin("localhost:8787", "http://localhost.evil.example", true, allowedOrigins(""))).toMatch(/not allowed/);
  });
});

describe("loopback is decided from the Host a client reached, not from the URL alone", () => {
  it("does not open a room to a request whose URL is loopback but whose Host header is public", async () => {
    // `wrangler dev` rebuilds the URL from a client's MF-Original-URL header; Host stays what the client reached.
    const forged = await exports.default.fetch("http://localhost/r/rebound/mcp", post({ host: PUBLIC_HOST }));
    expect(forged.status).toBe(401);
    await forged.text();
    const local = await exports.default.fetch("http://localhost/r/rebound/mcp", post({ host: "localhost:8787" }));
    expect(local.status).toBe(200);
    await local.text();
  });

  it("keeps an open loopback room from a DNS-rebinding name: the page's host needs a credential, its origin is refused on loopback", async () => {
    const rebound = await exports.default.fetch(
      "http://attacker.example:8787/r/rebound/mcp",
      post({ origin: "http://attacker.example:8787" }),
    );
    expect(rebound.status).toBe(401);
    await rebound.text();
    const crossSite = await exports.default.fetch("http://127.0.0.1:8787/r/rebound/mcp", post({ origin: "https://attacker.example" }));
    expect(crossSite.status).toBe(403);
    await crossSite.text();
    const ws = await exports.default.fetch("http://localhost/r/rebound/ws?kind=dashboard", {
      headers: { upgrade: "websocket", origin: "https://attacker.example" },
    });
    expect(ws.status).toBe(403);
    expect(ws.webSocket).toBeNull();
  });

  it("reads loopback from the URL, the Host header and every address a proxy or tunnel forwards for", () => {
    const req = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });
    const local = "http://localhost:8787/x";
    expect(isLoopbackRequest(req(local))).toBe(true);
    expect(isLoopbackRequest(req("http://127.0.0.1:8787/x", { host: "127.0.0.1:8787", "cf-connecting-ip": "127.0.0.1" }))).toBe(true);
    expect(isLoopbackRequest(req("http://[::1]:8787/x", { host: "[::1]:8787", "cf-connecting-ip": "::1" }))).toBe(true);
    expect(isLoopbackRequest(req(local, { "x-forwarded-for": "127.0.0.1, ::1", forwarded: 'for="[::1]:5123";host=localhost:8787' }))).toBe(
      true,
    );
    expect(isLoopbackRequest(req(local, { host: PUBLIC_HOST }))).toBe(false);
    expect(isLoopbackRequest(req(local, { host: "localhost.evil.example" }))).toBe(false);
    expect(isLoopbackRequest(req(`https://${PUBLIC_HOST}/x`, { host: "localhost" }))).toBe(false);
    // What tunnels add: Cloudflare Tunnel the edge's cf-connecting-ip, others x-forwarded-for or forwarded.
    expect(isLoopbackRequest(req(local, { "cf-connecting-ip": "198.51.100.7" }))).toBe(false);
    expect(isLoopbackRequest(req(local, { "x-forwarded-for": "127.0.0.1, 198.51.100.7" }))).toBe(false);
    expect(isLoopbackRequest(req(local, { "x-real-ip": "10.0.0.3" }))).toBe(false);
    expect(isLoopbackRequest(req(local, { "x-forwarded-host": PUBLIC_HOST }))).toBe(false);
    expect(isLoopbackRequest(req(local, { forwarded: "for=198.51.100.7;proto=https" }))).toBe(false);
    expect(isLoopbackRequest(req(local, { forwarded: `for=127.0.0.1;host=${PUBLIC_HOST}` }))).toBe(false);
  });

  it("does not open a room to a loopback URL reached through a tunnel", async () => {
    const tunnels: Record<string, string>[] = [
      { "cf-connecting-ip": "198.51.100.7", "cf-ray": "8f00000000000000-AMS" },
      { "x-forwarded-for": "198.51.100.7" },
    ];
    for (const tunnel of tunnels) {
      const res = await exports.default.fetch("http://localhost/r/rebound/mcp", post(tunnel));
      expect(res.status, JSON.stringify(tunnel)).toBe(401);
      await res.text();
    }
  });
});

describe("an open loopback room checks a bearer it is sent", () => {
  it("answers 401 to a token that matches nothing, and lets the same client in without one", async () => {
    const { client } = await connect("typo-room", "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const minted = await call(client, "masc_auth_create_token", { agent_name: "ann", role: "worker" });
    const token = minted.json.token as string;
    for (const bogus of [`${token.slice(0, -1)}x`, "masc_secret_typo", "not-a-token"]) {
      const res = await exports.default.fetch("http://localhost/r/typo-room/mcp", post({ authorization: `Bearer ${bogus}` }));
      expect(res.status, bogus).toBe(401);
      await res.text();
    }
    const ok = await exports.default.fetch("http://localhost/r/typo-room/mcp", post({ authorization: `Bearer ${token}` }));
    expect(ok.status).toBe(200);
    await ok.text();
    const open = await exports.default.fetch("http://localhost/r/typo-room/mcp", post());
    expect(open.status).toBe(200);
    await open.text();
    await client.close();
  });
});
