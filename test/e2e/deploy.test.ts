import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const OWNER = "owner-secret-for-e2e-deploy-0123456789";
const PUBLIC_HOST = "masc.example.workers.dev";
const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the dev server: fetch() would not let a test choose the Host header. */
function raw(server: DevServer, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, method: body === undefined ? "GET" : "POST", headers, timeout: 30_000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`timed out: ${path}`)));
    req.end(body);
  });
}

const mcpHeaders = (host: string, extra: Record<string, string> = {}) => ({
  host,
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  ...extra,
});

describe("wrangler dev reached under a public name, as a deploy or a shared tunnel is", () => {
  let server: DevServer;

  beforeAll(async () => {
    // Only the owner secret, as after `wrangler secret put MASC_ADMIN_SECRET`: no host var.
    server = await startWrangler({ vars: { MASC_ADMIN_SECRET: OWNER } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves its own host: /health, 401 with the OAuth challenge without a credential, 200 with one", async () => {
    const health = await raw(server, "/health", { host: PUBLIC_HOST });
    expect(health.status).toBe(200);
    const anonymous = await raw(server, "/r/deploy/mcp", mcpHeaders(PUBLIC_HOST), INIT);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe(
      `Bearer resource_metadata="http://${PUBLIC_HOST}/.well-known/oauth-protected-resource/r/deploy/mcp"`,
    );
    const owner = await raw(server, "/r/deploy/mcp", mcpHeaders(PUBLIC_HOST, { authorization: `Bearer ${OWNER}` }), INIT);
    expect(owner.status).toBe(200);
    expect(owner.headers["mcp-session-id"]).toBeTruthy();
    const local = await raw(server, "/r/deploy/mcp", mcpHeaders(`127.0.0.1:${server.port}`), INIT);
    expect(local.status).toBe(200);
  });

  it("does not take MF-Original-URL naming localhost as a loopback caller when it came through a tunnel", async () => {
    const forged = (path: string) => ({ host: PUBLIC_HOST, "mf-original-url": `http://localhost:${server.port}${path}` });
    // As each kind of tunnel delivers a remote caller: Cloudflare Tunnel passes the edge's
    // cf-connecting-ip, ngrok and most others add x-forwarded-for, some send forwarded.
    const tunnels: Record<string, string>[] = [
      { "cf-connecting-ip": "198.51.100.7" },
      { "x-forwarded-for": "198.51.100.7" },
      { forwarded: "for=198.51.100.7" },
    ];
    for (const tunnel of tunnels) {
      const call = await raw(server, "/r/forged/mcp", mcpHeaders(PUBLIC_HOST, { ...forged("/r/forged/mcp"), ...tunnel }), INIT);
      expect(call.status, JSON.stringify(tunnel)).toBe(401);
      expect(call.body).toContain("not on loopback");
      const dashboard = await raw(server, "/r/forged/api/overview", { ...forged("/r/forged/api/overview"), ...tunnel });
      expect(dashboard.status, JSON.stringify(tunnel)).toBe(401);
    }
  });

  it("keeps an open loopback room from a rebinding name and from a page on another site", async () => {
    const rebound = await raw(
      server,
      "/r/open/mcp",
      mcpHeaders(`attacker.example:${server.port}`, { origin: `http://attacker.example:${server.port}` }),
      INIT,
    );
    expect(rebound.status).toBe(401);
    const crossSite = await raw(
      server,
      "/r/open/mcp",
      mcpHeaders(`127.0.0.1:${server.port}`, { origin: "https://attacker.example" }),
      INIT,
    );
    expect(crossSite.status).toBe(403);
  });

  it("limits wrong secrets per client address: the peer's address, or the cf-connecting-ip a client sends", async () => {
    const guess = (extra: Record<string, string> = {}) =>
      raw(server, "/r/deploy/api/overview", { host: PUBLIC_HOST, authorization: "Bearer wrong-guess-of-the-owner-secret", ...extra });
    const statuses: number[] = [];
    for (let i = 0; i < 42 && !statuses.includes(429); i++) statuses.push((await guess()).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(20);
    const refused = await raw(server, "/r/deploy/api/overview", { host: PUBLIC_HOST, authorization: `Bearer ${OWNER}` });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // wrangler dev keeps a cf-connecting-ip the client sent (Cloudflare replaces it): another address here.
    const other = await raw(server, "/r/deploy/api/overview", {
      host: PUBLIC_HOST,
      authorization: `Bearer ${OWNER}`,
      "cf-connecting-ip": "203.0.113.77",
    });
    expect(other.status).toBe(200);
  });
});
