import { exports } from "cloudflare:workers";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { modernClient, modernTool } from "../helpers/modern-client";
import { call, connect, modernCallHeaders } from "./mcp";

const textOf = (r: { contents: Array<{ text?: string } | { blob: string }> }) => {
  const first = r.contents[0];
  return first && "text" in first ? String(first.text) : "";
};

const inWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

/** One raw 2026-07-28 POST, to see the exact status, error code and id. */
async function raw(path: string, method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": method,
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
    }),
  );
  const text = await res.text();
  const data = text.startsWith("{") ? JSON.parse(text) : JSON.parse(text.split("data: ").at(-1) ?? "{}");
  return { status: res.status, body: data };
}

describe("2026-07-28 beside 2025-11-25 on one URL", () => {
  it("offers 2026-07-28 in server/discover with cache hints and server info", async () => {
    const { status, body } = await raw("/r/era/mcp", "server/discover", { _meta: META });
    expect(status).toBe(200);
    expect(body.id).toBe(7);
    expect(body.result.supportedVersions).toContain("2026-07-28");
    expect(body.result).toMatchObject({ ttlMs: expect.any(Number), cacheScope: "public" });
    expect(body.result._meta["io.modelcontextprotocol/serverInfo"].name).toBe("masc");
  });

  it("is chosen by a client that probes (as Claude Code does) and needs no session", async () => {
    const transport = new StreamableHTTPClientTransport(new URL("http://localhost/r/era-auto/mcp"), { fetch: inWorker });
    const client = new Client({ name: "probe", version: "1" }, { versionNegotiation: { mode: "auto" } });
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.callTool({ name: "masc_status", arguments: {} })).isError).toBeFalsy();
    await client.close();
  });

  it("refuses bad envelopes with the spec's codes and statuses, echoing the id", async () => {
    const missing = await raw("/r/era/mcp", "tools/list", { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } });
    expect([missing.status, missing.body.error.code, missing.body.id]).toEqual([400, -32602, 7]);
    const mismatch = await raw("/r/era/mcp", "tools/list", { _meta: META }, { "mcp-method": "tools/call" });
    expect([mismatch.status, mismatch.body.error.code]).toEqual([400, -32020]);
    const future = await raw(
      "/r/era/mcp",
      "tools/list",
      { _meta: { ...META, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } },
      { "mcp-protocol-version": "2099-01-01" },
    );
    expect([future.status, future.body.error.code]).toEqual([400, -32022]);
    expect(JSON.stringify(future.body.error.data)).toContain("2026-07-28");
    const ping = await raw("/r/era/mcp", "ping", { _meta: META });
    expect([ping.status, ping.body.error.code, ping.body.id]).toEqual([404, -32601, 7]);
    // Removed methods stay 404 with their old params, before any params check.
    const level = await raw("/r/era/mcp", "logging/setLevel", { level: "debug", _meta: META });
    expect([level.status, level.body.error.code]).toEqual([404, -32601]);
    // The shared params validator covers this lane too: unknown and prototype keys are named.
    const extra = await raw("/r/era/mcp", "tools/list", { _meta: META, surprise: 1 });
    expect([extra.status, extra.body.error.code, extra.body.id]).toEqual([400, -32602, 7]);
    expect(extra.body.error.message).toContain("surprise");
    const proto = await raw(
      "/r/era/mcp",
      "tools/call",
      JSON.parse(`{"name":"masc_status","arguments":{"__proto__":{"x":1}},"_meta":${JSON.stringify(META)}}`),
      { "mcp-name": "masc_status" },
    );
    expect([proto.status, proto.body.error.code]).toEqual([400, -32602]);
    expect(proto.body.error.message).toContain("__proto__");
    const badMode = await raw("/r/era/mcp?mode=turbo", "tools/list", { _meta: META });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.message).toMatch(/^mode: 'turbo' is not a mode; use one of full, parallel, standard, minimal, solo/);
  });

  it("lists a fixed set per URL mode, and still runs a tool it does not list", async () => {
    const minimal = await modernClient("http://localhost/r/era-modes/mcp?mode=minimal", { fetch: inWorker });
    const standard = await modernClient("http://localhost/r/era-modes/mcp", { fetch: inWorker });
    const listed = (await minimal.listTools()).tools.map((t) => t.name);
    expect(listed).toEqual((await minimal.listTools()).tools.map((t) => t.name));
    expect(listed).toContain("masc_claim_next");
    expect(listed).not.toContain("masc_lock");
    expect((await standard.listTools()).tools.map((t) => t.name)).toContain("masc_lock");
    await modernTool(minimal, "masc_join", { agent_name: "claude" });
    const lock = await modernTool(minimal, "masc_lock", { agent_name: "claude", file: "src/a.ts" });
    expect(lock.isError, lock.text).toBe(false);
    const switched = await modernTool(minimal, "masc_switch_mode", { mode: "full" });
    expect(switched.isError).toBe(true);
    expect(switched.text).toMatch(/mode: .*part of the URL/);
    await minimal.close();
    await standard.close();
  });

  it("keeps one rate budget for anonymous 2026 callers: sending each call alone does not reset it", async () => {
    const client = await modernClient("http://localhost/r/era-rl/mcp", { fetch: inWorker });
    await modernTool(client, "masc_rate_limit_config", { enabled: true, task: 2, burst: 0 });
    for (const title of ["a", "b"]) expect((await modernTool(client, "masc_add_task", { title })).isError).toBe(false);
    expect((await modernTool(client, "masc_add_task", { title: "c" })).text).toMatch(/^rate_limited: /);
    await client.close();
  });

  it("sends progress and, when asked by logLevel, log lines on the request's own stream", async () => {
    const client = await modernClient("http://localhost/r/era-progress/mcp", { fetch: inWorker });
    await modernTool(client, "masc_join", { agent_name: "claude" });
    const seen: number[] = [];
    const result = await client.callTool(
      { name: "masc_progress", arguments: { agent_name: "claude", action: "update", task_id: "t-1", progress: 40, total_steps: 100 } },
      { onprogress: (p) => seen.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([40]);
    await client.close();

    const { client: other } = await connect("era-progress", "other", { stream: false });
    await call(other, "masc_join", { agent_name: "gemini" });
    await call(other, "masc_broadcast", { agent_name: "gemini", message: "@claude ping" });
    const beat = { name: "masc_heartbeat", arguments: { agent_name: "claude" } };
    // Without logLevel: no log notifications, the hint rides in its own content block.
    const quiet = await raw("/r/era-progress/mcp", "tools/call", { ...beat, _meta: META }, { "mcp-name": "masc_heartbeat" });
    expect(quiet.body.result.content[1].text).toContain("unread for claude");
    const res = await exports.default.fetch(
      new Request("http://localhost/r/era-progress/mcp", {
        method: "POST",
        headers: modernCallHeaders("masc_heartbeat"),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 9,
          method: "tools/call",
          params: { ...beat, _meta: { ...META, "io.modelcontextprotocol/logLevel": "info" } },
        }),
      }),
    );
    const stream = await res.text();
    expect(stream).toContain('"method":"notifications/message"');
    expect(stream).toContain("unread for claude");
    await other.close();
  });

  it("tells a listening 2026 client about a 2025 session's broadcast, and a cursor read gets it", async () => {
    const modern = await modernClient("http://localhost/r/era-listen/mcp", { fetch: inWorker });
    const updates: Array<{ uri: string; sub: unknown }> = [];
    modern.setNotificationHandler("notifications/resources/updated", (n) => {
      updates.push({ uri: n.params.uri, sub: n.params._meta?.["io.modelcontextprotocol/subscriptionId"] });
    });
    const subscription = await modern.listen({ resourceSubscriptions: ["room://events"] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual(["room://events"]);
    const before = JSON.parse(textOf(await modern.readResource({ uri: "room://events" }))).last_seq as number;

    const { client: legacy } = await connect("era-listen", "legacy", { stream: false });
    await call(legacy, "masc_join", { agent_name: "gemini" });
    await call(legacy, "masc_broadcast", { agent_name: "gemini", message: "hello from 2025" });
    for (let i = 0; i < 100 && updates.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(updates[0]?.uri).toBe("room://events");
    expect(updates[0]?.sub).toBeDefined();
    // Only what the filter asked for arrives.
    expect(updates.every((u) => u.uri === "room://events")).toBe(true);

    const page = JSON.parse(textOf(await modern.readResource({ uri: `room://events?since=${before}` })));
    expect(page.events.map((e: { body: string }) => e.body)).toContain("hello from 2025");
    // And the other way: what the 2026 client says, the 2025 session reads.
    await modernTool(modern, "masc_join", { agent_name: "claude" });
    await modernTool(modern, "masc_broadcast", { agent_name: "claude", message: "hello from 2026" });
    const seen = await call(legacy, "masc_messages", { agent_name: "gemini" });
    expect(seen.json.messages.map((m: { content: string }) => m.content)).toContain("hello from 2026");
    await subscription.close();
    await modern.close();
    await legacy.close();
  });
});
