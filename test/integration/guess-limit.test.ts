import { describe, expect, it } from "vitest";
import { deployedFetch, OWNER_SECRET, publicUrl } from "./edge";

const ACCEPT = "application/json, text/event-stream";
const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};
const WRONG = "wrong-owner-secret-guess-0000000";

type Surface = { name: string; request: (secret: string) => [string, RequestInit] };

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Every way in that checks a credential, each as a request carrying `secret`. */
const SURFACES: Surface[] = [
  {
    name: "MCP 2025",
    request: (s) => [
      "/r/guess/mcp",
      {
        method: "POST",
        headers: { ...bearer(s), accept: ACCEPT, "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
        }),
      },
    ],
  },
  {
    name: "MCP 2026-07-28",
    request: (s) => [
      "/r/guess/mcp",
      {
        method: "POST",
        headers: {
          ...bearer(s),
          accept: ACCEPT,
          "content-type": "application/json",
          "mcp-protocol-version": "2026-07-28",
          "mcp-method": "tools/list",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: META } }),
      },
    ],
  },
  {
    name: "WebSocket",
    request: (s) => [`/r/guess/ws?kind=dashboard&token=${encodeURIComponent(s)}`, { headers: { upgrade: "websocket" } }],
  },
  {
    name: "GraphQL",
    request: (s) => [
      "/r/guess/graphql",
      { method: "POST", headers: { ...bearer(s), "content-type": "application/json" }, body: '{"query":"{ status { project } }"}' },
    ],
  },
  { name: "dashboard API", request: (s) => ["/r/guess/api/overview", { headers: bearer(s) }] },
  { name: "hook API", request: (s) => ["/r/guess/api/hook?agent=ann", { headers: bearer(s) }] },
  { name: "room metrics", request: (s) => ["/r/guess/metrics", { headers: bearer(s) }] },
  { name: "metrics", request: (s) => ["/metrics", { headers: bearer(s) }] },
];

async function send(surface: Surface, secret: string, ip: string): Promise<Response> {
  const [path, init] = surface.request(secret);
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", ip);
  return deployedFetch()(publicUrl(path), { ...init, headers });
}

/** Wrong guesses until the first 429; the limiter's fixed one-minute windows let at most 2 x 20 through first. */
async function guessUntilRefused(attempt: () => Promise<Response>): Promise<{ failures: number; refusal: Response }> {
  for (let failures = 0; failures <= 41; failures++) {
    const res = await attempt();
    if (res.status === 429) return { failures, refusal: res };
    expect([400, 401]).toContain(res.status);
    await res.body?.cancel();
  }
  throw new Error("never answered 429");
}

describe("failed credentials are limited per client address", () => {
  it.each(SURFACES.map((s, i) => [s.name, s, i] as const))(
    "on %s: 429 with Retry-After after repeated wrong secrets",
    async (_, surface, i) => {
      const ip = `198.51.100.${10 + i}`;
      const { failures, refusal } = await guessUntilRefused(() => send(surface, WRONG, ip));
      expect(failures).toBeGreaterThanOrEqual(20);
      expect(failures).toBeLessThanOrEqual(40);
      expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refusal.json()) as { error: string }).error).toBe("rate_limited");
      // Refused before it is checked: the right secret from that address gets no answer either.
      const right = await send(surface, OWNER_SECRET, ip);
      expect(right.status).toBe(429);
      await right.body?.cancel();
      // Another address with the right secret is served.
      const other = await send(surface, OWNER_SECRET, `203.0.113.${10 + i}`);
      expect(other.status, surface.name).not.toBe(429);
      expect(other.status, surface.name).toBeLessThan(400);
      await other.body?.cancel();
    },
    120_000,
  );

  it("counts refused token requests (unknown codes and refresh tokens) at the token endpoint", async () => {
    const token = (ip: string) =>
      deployedFetch()(publicUrl("/token"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "guess~g:x:y", client_id: "no-such-client" }),
      });
    const { refusal } = await guessUntilRefused(() => token("198.51.100.90"));
    expect(refusal.headers.get("retry-after")).toBeTruthy();
    await refusal.body?.cancel();
    const other = await token("203.0.113.90");
    expect(other.status).not.toBe(429);
    await other.body?.cancel();
  }, 120_000);

  it("does not count requests without a credential, nor this machine's own loopback requests", async () => {
    for (let i = 0; i < 45; i++) {
      const res = await deployedFetch()(publicUrl("/r/guess/api/overview"), { headers: { "cf-connecting-ip": "198.51.100.99" } });
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    const withSecret = await send(SURFACES[4] as Surface, OWNER_SECRET, "198.51.100.99");
    expect(withSecret.status).toBe(200);
    await withSecret.body?.cancel();
  }, 120_000);
});
