import { createExecutionContext, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { app } from "../../src/http/app";
import { collect, untilStreaming } from "../helpers/agents";
import { modernClient, modernTool } from "../helpers/modern-client";
import { call, connect, listenRequest } from "./mcp";
import { type Fetch, lastId, openStream } from "./sse";

/** The Worker with some vars changed, e.g. a short stream lifetime. */
const workerWith =
  (vars: Partial<Env>): Fetch =>
  (req) =>
    Promise.resolve(app.fetch(req, { ...env, ...vars }, createExecutionContext()));

/** An SDK client with its GET stream on, counting the GET requests it makes (each reconnect is one). */
async function streamingClient(room: string, name: string, fetch: Fetch = (req) => exports.default.fetch(req)) {
  let gets = 0;
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost/r/${room}/mcp`), {
    fetch: (input, init) => {
      const req = new Request(input, init);
      if (req.method === "GET") gets++;
      return fetch(req);
    },
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return { client, transport, gets: () => gets };
}

/** Evicts the room; evictDurableObject waits for requests in flight, so finishing proves there are none. */
async function evictIdle(room: string): Promise<void> {
  const stuck = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${room} kept a request open`)), 8000));
  await Promise.race([evictDurableObject(env.ROOM.getByName(room)), stuck]);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const relaySockets = (room: string) =>
  runInDurableObject(env.ROOM.getByName(room), (_i, state) => ({
    streams: state.getWebSockets("relay:sse").length,
    listens: state.getWebSockets("relay:listen").length,
    subscriptions: state.getWebSockets("relay:subscription").length,
  }));

describe("streams relayed by the Worker (the room holds no long-lived request)", () => {
  it("keeps a GET stream and a masc_listen wait across eviction: the broadcast arrives on the same stream and wakes the wait", async () => {
    const room = "relay-evict";
    const b = await streamingClient(room, "b");
    const inbox = collect(b.client);
    await call(b.client, "masc_join", { agent_name: "gemini" });
    const { client: a } = await connect(room, "a", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await untilStreaming(a, "gemini");
    const listening = call(b.client, "masc_listen", { agent_name: "gemini", timeout: 25 });
    await until(async () => (await call(a, "masc_who")).json.listening.includes("gemini"), "gemini listening");
    expect(await relaySockets(room)).toEqual({ streams: 1, listens: 1, subscriptions: 0 });
    await evictIdle(room);
    const sent = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini after eviction" });
    const pushed = await inbox.next((e) => e.seq === sent.json.seq);
    expect(pushed).toMatchObject({ kind: "broadcast", body: "@gemini after eviction" });
    const got = await listening;
    expect(got.json).toMatchObject({ count: 1, mentions: 1, timed_out: false });
    expect(got.json.events[0]).toMatchObject({ from: "claude", content: "@gemini after eviction" });
    expect(b.gets()).toBe(1);
    expect(inbox.events.filter((e) => e.seq === sent.json.seq)).toHaveLength(1);
    await a.close();
    await b.client.close();
  });

  it("holds a masc_listen sent with a progress token in the Worker too, across eviction", async () => {
    const room = "relay-listen-progress";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b } = await connect(room, "b", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    const waiting = b.callTool({ name: "masc_listen", arguments: { agent_name: "gemini", timeout: 25 } }, undefined, {
      onprogress: () => {},
    });
    await until(async () => (await call(a, "masc_who")).json.listening.includes("gemini"), "gemini listening");
    await evictIdle(room);
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini with progress" });
    const result = (await waiting) as { content: Array<{ type: string; text: string }> };
    const first = result.content[0] as { type: string; text: string };
    expect(JSON.parse(first.text)).toMatchObject({ count: 1, timed_out: false, events: [{ content: "@gemini with progress" }] });
    await a.close();
    await b.close();
  });

  it("lets the room hibernate while 20 idle clients hold GET streams, and reaches all of them after", async () => {
    const room = "relay-idle-20";
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => streamingClient(room, `c${i}`)));
    const inboxes = clients.map((c) => collect(c.client));
    await Promise.all(clients.map((c, i) => call(c.client, "masc_join", { agent_name: `agent-${i}` })));
    const { client: sender } = await connect(room, "sender", { stream: false });
    await call(sender, "masc_join", { agent_name: "sender" });
    await until(
      async () => (await call(sender, "masc_who")).json.sessions.filter((s: { streaming: boolean }) => s.streaming).length === 20,
      "20 streams",
    );
    await evictIdle(room);
    // Asleep with twenty streams open: nothing is running to evict.
    await expect(evictDurableObject(env.ROOM.getByName(room))).rejects.toThrow(/not currently running/);
    const sent = await call(sender, "masc_broadcast", { agent_name: "sender", message: "@all wake up" });
    await Promise.all(inboxes.map((inbox) => inbox.next((e) => e.seq === sent.json.seq)));
    expect(clients.map((c) => c.gets())).toEqual(clients.map(() => 1));
    expect((await relaySockets(room)).streams).toBe(20);
    await Promise.all([sender, ...clients.map((c) => c.client)].map((c) => c.close()));
  });

  it("opens a new GET stream at once when the old one is still open, with or without Last-Event-ID, and stops showing it streaming once closed", async () => {
    const room = "relay-reopen";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b, transport } = await connect(room, "b", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    const sid = { sid: transport.sessionId ?? "", version: transport.protocolVersion ?? "" };
    const path = `/r/${room}/mcp`;
    const first = await openStream(path, sid, null);
    const primed = await first.read((t) => lastId(t) !== null);
    const second = await openStream(path, sid, null);
    expect(second.status).toBe(200);
    // The older stream ends: the newer one took over.
    await first.read(() => false, 3000);
    expect(first.ended()).toBe(true);
    const one = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini one" });
    const seen = await second.read((t) => t.includes("@gemini one"));
    expect(seen).toContain(`id: e${one.json.seq}`);
    const two = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini two" });
    // Resuming from the priming id of the first stream replays both, while the second is still open.
    const third = await openStream(path, sid, lastId(primed));
    expect(third.status).toBe(200);
    const replayed = await third.read((t) => t.includes("@gemini two"));
    // Everything handed after the priming id, once and in order (gemini's own join may be among it
    // when it was published after the first stream opened).
    const ids = [...replayed.matchAll(/^id: e(\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.slice(-2)).toEqual([one.json.seq, two.json.seq]);
    expect(ids.every((id, i) => id > Number(lastId(primed)?.slice(1)) && (i === 0 || id > (ids[i - 1] ?? 0)))).toBe(true);
    await third.close();
    await second.read(() => false, 1000);
    await until(
      async () => !(await call(a, "masc_who")).json.agents.find((x: { name: string }) => x.name === "gemini").streaming,
      "gemini not streaming",
    );
    await a.close();
    await b.close();
  });

  it("ends a stream that reached its lifetime with a retry hint; the client resumes and misses nothing", async () => {
    const room = "relay-lifetime";
    const short = workerWith({ MASC_STREAM_MAX_S: "0.4" });
    const b = await streamingClient(room, "b", short);
    const inbox = collect(b.client);
    await call(b.client, "masc_join", { agent_name: "gemini" });
    const { client: a } = await connect(room, "a", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    const seqs: number[] = [];
    // Two messages per stream: after each pair, wait for the stream to end at its lifetime and the
    // client to come back, so messages fall on both sides of every resume.
    for (let i = 0; i < 6; i++) {
      const streams = b.gets();
      seqs.push((await call(a, "masc_broadcast", { agent_name: "claude", message: `@gemini n${i}` })).json.seq);
      if (i % 2 === 1) await until(async () => b.gets() > streams, "the stream to end and be resumed");
    }
    await inbox.next((e) => e.seq === seqs.at(-1), 20_000);
    expect(inbox.events.filter((e) => e.kind === "broadcast").map((e) => e.seq)).toEqual(seqs);
    expect(b.gets()).toBeGreaterThan(3);
    // On the wire: the stream ends with the retry hint.
    const { transport } = await connect(room, "raw", { stream: false });
    const raw = await openStream(
      `/r/${room}/mcp`,
      { sid: transport.sessionId ?? "", version: transport.protocolVersion ?? "" },
      null,
      short,
    );
    const text = await raw.read(() => false, 3000);
    expect(raw.ended()).toBe(true);
    expect(text).toMatch(/retry: 1000\n\n$/);
    await a.close();
    await b.client.close();
  });

  it("ends a stream after its message budget and resumes after the last id, without duplicates", async () => {
    const room = "relay-budget";
    const b = await streamingClient(room, "b", workerWith({ MASC_STREAM_MAX_EVENTS: "2" }));
    const inbox = collect(b.client);
    await call(b.client, "masc_join", { agent_name: "gemini" });
    await b.client.subscribeResource({ uri: "room://events" });
    const { client: a } = await connect(room, "a", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await call(a, "masc_broadcast", { agent_name: "claude", message: `@gemini m${i}` })).json.seq);
    // Each resume waits for the server's retry hint (1 s): generous deadlines for a loaded machine.
    await inbox.next((e) => e.seq === seqs.at(-1), 20_000);
    // One update per publication (a busy room publishes a few ms of commits together): each stored
    // update reaches the client exactly once across the resumes.
    const stored = async () =>
      runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
        state.storage.sql
          .exec<{ n: number }>(
            "SELECT COUNT(*) AS n FROM sse_events WHERE session_id = ? AND message LIKE '%resources/updated%'",
            b.transport.sessionId ?? "",
          )
          .one(),
      );
    await until(async () => inbox.updated.length >= (await stored()).n, "every stored resource update", 20_000);
    expect(inbox.events.filter((e) => e.kind === "broadcast").map((e) => e.seq)).toEqual(seqs);
    expect((await stored()).n).toBeGreaterThan(0);
    expect(inbox.updated).toHaveLength((await stored()).n);
    expect(b.gets()).toBeGreaterThan(2);
    await a.close();
    await b.client.close();
  });

  it("reopens a dropped relay socket with the last id: the client's stream goes on, nothing lost or doubled", async () => {
    const room = "relay-drop";
    const b = await streamingClient(room, "b");
    const inbox = collect(b.client);
    await call(b.client, "masc_join", { agent_name: "gemini" });
    const { client: a } = await connect(room, "a", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await untilStreaming(a, "gemini");
    const before = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini before" });
    await inbox.next((e) => e.seq === before.json.seq);
    await runInDurableObject(env.ROOM.getByName(room), (_i, state) => {
      for (const ws of state.getWebSockets("relay:sse")) ws.close(1011, "connection lost");
    });
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++)
      seqs.push((await call(a, "masc_broadcast", { agent_name: "claude", message: `@gemini after ${i}` })).json.seq);
    await inbox.next((e) => e.seq === seqs.at(-1));
    expect(inbox.events.filter((e) => e.kind === "broadcast").map((e) => e.seq)).toEqual([before.json.seq, ...seqs]);
    expect(b.gets()).toBe(1);
    await a.close();
    await b.client.close();
  });

  it("with auth on: a token's agent listens through the relay, another's cannot, and revoking the token ends its wait at once", async () => {
    const room = "relay-auth";
    const { client: setup } = await connect(room, "setup", { stream: false });
    await call(setup, "masc_switch_mode", { mode: "full" });
    for (const agent of ["w1", "w2"]) await call(setup, "masc_join", { agent_name: agent });
    const secret = (await call(setup, "masc_auth_enable")).json.room_secret;
    const { client: admin } = await connect(room, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const t1 = (await call(admin, "masc_auth_create_token", { agent_name: "w1" })).json.token;
    const { client: w1 } = await connect(room, "w1", { stream: false, token: t1 });
    const other = await call(w1, "masc_listen", { agent_name: "w2", timeout: 5 });
    expect(other.isError).toBe(true);
    const woken = call(w1, "masc_listen", { agent_name: "w1", timeout: 20 });
    await until(async () => (await call(admin, "masc_who")).json.listening.includes("w1"), "w1 listening");
    await call(admin, "masc_broadcast", { agent_name: "w2", message: "@w1 hello" });
    expect((await woken).json).toMatchObject({ count: 1, timed_out: false });
    const cut = call(w1, "masc_listen", { agent_name: "w1", timeout: 25 }).then(
      () => "answered",
      (err: Error) => err.message,
    );
    await until(async () => (await call(admin, "masc_who")).json.listening.includes("w1"), "w1 listening again");
    await call(admin, "masc_auth_revoke", { agent_name: "w1" });
    // The wait ends now, refused, instead of running to its 25 s timeout.
    const stillWaiting = new Promise<string>((r) => setTimeout(() => r("still waiting"), 10_000));
    expect(await Promise.race([cut, stillWaiting])).toMatch(/401|revoked|nauthorized/);
    expect((await relaySockets(room)).listens).toBe(0);
    await admin.close();
    await setup.close();
  });

  it("holds a 2026-07-28 listen stream and a modern masc_listen across eviction: ack first, then the update with its subscriptionId", async () => {
    const room = "relay-modern";
    const inWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));
    const modern = await modernClient(`http://localhost/r/${room}/mcp`, { fetch: inWorker });
    const updates: Array<{ uri: string; sub: unknown }> = [];
    modern.setNotificationHandler("notifications/resources/updated", (n) => {
      updates.push({ uri: n.params.uri, sub: n.params._meta?.["io.modelcontextprotocol/subscriptionId"] });
    });
    const subscription = await modern.listen({ resourceSubscriptions: ["room://events"] });
    expect(subscription.honoredFilter.resourceSubscriptions).toEqual(["room://events"]);
    await modernTool(modern, "masc_join", { agent_name: "claude" });
    const { client: legacy } = await connect(room, "legacy", { stream: false });
    await call(legacy, "masc_join", { agent_name: "gemini" });
    const waiting = modernTool(modern, "masc_listen", { agent_name: "claude", timeout: 25 });
    await until(async () => (await call(legacy, "masc_who")).json.listening.includes("claude"), "claude listening");
    await until(async () => (await relaySockets(room)).subscriptions === 1, "the listen stream relayed");
    const seen = updates.length;
    await evictIdle(room);
    await call(legacy, "masc_broadcast", { agent_name: "gemini", message: "@claude after eviction" });
    await until(async () => updates.length > seen, "an update after eviction");
    expect(updates.at(-1)).toEqual({ uri: "room://events", sub: expect.anything() });
    const got = await waiting;
    expect(got.json).toMatchObject({ count: 1, timed_out: false });
    expect(got.json.events[0]).toMatchObject({ from: "gemini", content: "@claude after eviction" });
    await subscription.close();
    await modern.close();
    await legacy.close();
  });

  it("ends a relayed listen stream at its lifetime with the listen request's result, after the acknowledgement", async () => {
    const short = workerWith({ MASC_STREAM_MAX_S: "0.5" });
    const res = await short(listenRequest("http://localhost/r/relay-listen-end/mcp", ["room://events"]));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const frames = [...(await res.text()).matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] ?? "{}"));
    expect(frames[0]).toMatchObject({
      method: "notifications/subscriptions/acknowledged",
      params: { notifications: { resourceSubscriptions: ["room://events"] } },
    });
    expect(frames.at(-1)).toMatchObject({ id: "sub-1", result: { resultType: "complete" } });
  });

  it("keeps the relay internal: no client route reaches it, and relay headers a client sends are dropped", async () => {
    const direct = await exports.default.fetch("http://localhost/r/relay-sec/relay", {
      headers: { upgrade: "websocket", "x-masc-relay": "sse" },
    });
    expect(direct.status).toBe(404);
    await direct.text();
    const { client } = await connect("relay-sec", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const { transport } = await connect("relay-sec", "b", { stream: false });
    const forged = await exports.default.fetch("http://localhost/r/relay-sec/mcp", {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-session-id": transport.sessionId ?? "",
        "mcp-protocol-version": transport.protocolVersion ?? "",
        "x-masc-waited": "99999,1",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "masc_listen", arguments: { agent_name: "claude", timeout: 0 } },
      }),
    });
    const body = (await forged.json()) as { result: { content: Array<{ text: string }> } };
    const result = JSON.parse(body.result.content[0]?.text.split("\n")[0] ?? "{}");
    expect(result).toMatchObject({ count: 0, timed_out: false });
    expect(result.waited_ms).toBeLessThan(99999);
    await client.close();
  });
});
