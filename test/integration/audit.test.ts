import { createExecutionContext, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/http/app";
import { call, connect, mintTokens, listenRequest as rawListen } from "./mcp";
import { openStream } from "./sse";
import { openSocket } from "./ws";

/** Refusals found by attacking main as a hostile caller would, each pinned here. */
const ROOM = "audit";
const tokens: Record<string, string> = {};
let roomSecret = "";

const listenRequest = (token: string, uris: string[]) =>
  rawListen(`http://localhost/r/${ROOM}/mcp`, uris, { id: "sub-audit", bearer: token });

/** Reads an SSE body until `until` holds on the text so far (or the time runs out). */
function sseReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  return {
    async read(until: (text: string) => boolean, timeoutMs = 8000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!until(text) && Date.now() < deadline) {
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
        if (chunk === null) continue;
        pending = null;
        if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
        if (chunk.done) break;
      }
      return text;
    },
    close: () => reader.cancel(),
  };
}

const subscriptionSockets = () =>
  runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) => state.getWebSockets("relay:subscription").length);

describe("attacks on main, refused", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["ann", "bob", "rita", "mallory"]) await call(client, "masc_join", { agent_name: a });
    roomSecret = (await call(client, "masc_auth_enable", { require_token: false })).json.room_secret;
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, roomSecret, { ann: "worker", bob: "worker", mallory: "worker", rita: "reader" }));
  }, 30_000);

  it("a reader's 2026-07-28 listen stream is not told that masc://messages changed for a portal message between two others", async () => {
    const res = await exports.default.fetch(listenRequest(tokens.rita as string, ["masc://messages", "masc://tasks"]));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const stream = sseReader(res);
    await stream.read((t) => t.includes("notifications/subscriptions/acknowledged"));
    const deadline = Date.now() + 8000;
    while ((await subscriptionSockets()) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const { client: ann } = await connect(ROOM, "ann", { stream: false, token: tokens.ann });
    await call(ann, "masc_switch_mode", { mode: "full" });
    expect((await call(ann, "masc_portal_open", { agent_name: "ann", target_agent: "bob", initial_message: "dm" })).isError).toBe(false);
    // A later change the reader may see: frames on one stream keep their order, so it marks the end.
    expect((await call(ann, "masc_add_task", { title: "sentinel" })).isError).toBe(false);
    const text = await stream.read((t) => t.includes('"uri":"masc://tasks"'));
    expect(text).toContain('"uri":"masc://tasks"');
    expect(text).not.toContain('"uri":"masc://messages"');
    await stream.close();
    await ann.close();
  });

  it("the local_agent_connected event names no hostname, path or pid (an anonymous reader sees it)", async () => {
    const anon = await openSocket(`/r/${ROOM}/ws?kind=dashboard`);
    await anon.next((f) => f.type === "welcome");
    const daemon = await openSocket(`/r/${ROOM}/ws?kind=local-agent&token=${tokens.mallory}`);
    daemon.ws.send(
      JSON.stringify({
        type: "hello",
        machine: "secret-host",
        hostname: "secret-host",
        repo_root: "/home/secret-user/repo",
        repo_name: "repo",
        pid: 4242,
      }),
    );
    await daemon.next((f) => f.type === "hello");
    const ev = await anon.next((f) => f.type === "event" && (f.event as { kind: string }).kind === "local_agent_connected");
    expect((ev.event as { data: unknown }).data).toEqual({ repo_name: "repo" });
    expect(JSON.stringify(anon.frames)).not.toMatch(/secret-host|secret-user|4242/);
    daemon.ws.close();
    anon.ws.close();
  });

  it("routes room paths whole: /api/<x>/mcp is not the MCP endpoint and /api/<x>/ws opens no socket", async () => {
    const mcp = await exports.default.fetch(`http://localhost/r/${ROOM}/api/x/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${roomSecret}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      }),
    });
    expect(mcp.status).toBe(404);
    expect(mcp.headers.get("mcp-session-id")).toBeNull();
    await mcp.text();
    const ws = await exports.default.fetch(`http://localhost/r/${ROOM}/api/x/ws?kind=dashboard&token=${roomSecret}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.webSocket).toBeNull();
    expect(ws.status).toBe(404);
    await ws.text();
  });
  it("a reader or anonymous caller cannot make a developer's machine list its worktrees (paths on that machine)", async () => {
    const daemon = await openSocket(`/r/${ROOM}/ws?kind=local-agent&token=${tokens.mallory}`);
    daemon.ws.send(JSON.stringify({ type: "hello", machine: "m", hostname: "h", repo_root: "/home/m/repo", repo_name: "repo", pid: 1 }));
    await daemon.next((f) => f.type === "hello");
    for (const token of [tokens.rita, undefined]) {
      const { client } = await connect(ROOM, "lister", { stream: false, ...(token ? { token } : {}) });
      await call(client, "masc_switch_mode", { mode: "full" });
      expect((await call(client, "masc_worktree_list")).text).toMatch(/^forbidden: masc_worktree_list needs role worker/);
      await client.close();
    }
    expect(daemon.frames.some((f) => f.type === "request")).toBe(false);
    daemon.ws.close();
  });

  it("another identity cannot attach to a session's relayed GET stream by its id, nor can an anonymous caller", async () => {
    const { client: ann, transport } = await connect(ROOM, "ann-stream", { stream: false, token: tokens.ann });
    const session = { sid: transport.sessionId ?? "", version: transport.protocolVersion ?? "2025-11-25" };
    for (const [who, extra] of [
      ["bob", { authorization: `Bearer ${tokens.bob}` }],
      ["rita", { authorization: `Bearer ${tokens.rita}` }],
      ["room secret", { authorization: `Bearer ${roomSecret}` }],
      ["anonymous", {}],
    ] as const) {
      const stream = await openStream(`/r/${ROOM}/mcp`, session, null, undefined, extra);
      expect([who, stream.status]).toEqual([who, 403]);
    }
    const own = await openStream(`/r/${ROOM}/mcp`, session, null, undefined, { authorization: `Bearer ${tokens.ann}` });
    expect(own.status).toBe(200);
    await own.close();
    await ann.close();
  });

  it("the room directory refuses a limit outside 1..MAX_LISTED (a negative one was no limit at all)", async () => {
    for (const limit of ["-1", "0", "abc", "10001", "1.5"]) {
      const res = await exports.default.fetch(`http://localhost/api/rooms?limit=${limit}`);
      expect([limit, res.status]).toEqual([limit, 400]);
      expect(((await res.json()) as { message: string }).message).toContain("limit must be an integer from 1 to");
    }
    const ok = await exports.default.fetch("http://localhost/api/rooms?limit=5");
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it("/register and /authorize keep a budget per client address; another address is still served", async () => {
    // A deployed host: on loopback (a local wrangler dev) nothing is counted.
    const deployed = (url: string, init: RequestInit = {}) =>
      Promise.resolve(
        app.fetch(
          new Request(`https://masc.example.com${url}`, init),
          { ...env, MASC_ALLOWED_ORIGINS: "masc.example.com", MASC_ADMIN_SECRET: "owner-secret-of-the-audit-test" },
          createExecutionContext(),
        ),
      );
    const register = (ip: string) =>
      deployed("/register", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": ip },
        body: JSON.stringify({
          client_name: "flood",
          redirect_uris: ["http://localhost:9/cb"],
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code"],
          response_types: ["code"],
        }),
      });
    // 45 calls span at most two of the limiter's one-minute windows, so over 2 x 20 must be refused.
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await register("203.0.113.7");
      statuses.push(res.status);
      await res.text();
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(40);
    const other = await register("203.0.113.8");
    expect(other.status).toBe(201);
    await other.text();
    const consent: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await deployed("/authorize?client_id=x", { headers: { "cf-connecting-ip": "203.0.113.9" } });
      consent.push(res.status);
      await res.text();
    }
    expect(consent).toContain(429);
    // This machine's own wrangler dev (which sets cf-connecting-ip to 127.0.0.1) is never limited.
    for (let i = 0; i < 45; i++) {
      const res = await exports.default.fetch("http://localhost/authorize?client_id=x", { headers: { "cf-connecting-ip": "127.0.0.1" } });
      expect(res.status).not.toBe(429);
      await res.text();
    }
  });
});
