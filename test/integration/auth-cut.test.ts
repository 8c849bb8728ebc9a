import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Room } from "../../src/room-host/room";
import { call, connect } from "./mcp";
import { openSocket } from "./ws";

const ACCEPT = "application/json, text/event-stream";

function mcp(room: string, body: unknown, headers: Record<string, string> = {}) {
  return exports.default.fetch(`http://localhost/r/${room}/mcp`, {
    method: "POST",
    headers: { accept: ACCEPT, "content-type": "application/json", "mcp-protocol-version": "2025-11-25", ...headers },
    body: JSON.stringify(body),
  });
}

/** A raw session: initialize, initialized; returns its id. */
async function openSession(room: string, token?: string): Promise<string> {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const init = await mcp(
    room,
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    },
    auth,
  );
  expect(init.status).toBe(200);
  const sid = init.headers.get("mcp-session-id") ?? "";
  await init.text();
  await (await mcp(room, { jsonrpc: "2.0", method: "notifications/initialized" }, { ...auth, "mcp-session-id": sid })).text();
  return sid;
}

/** Opens the session's GET stream; `ended` resolves once the server ends it. */
async function openStream(room: string, sid: string, token?: string): Promise<{ ended: Promise<void> }> {
  const res = await exports.default.fetch(`http://localhost/r/${room}/mcp`, {
    headers: {
      accept: "text/event-stream",
      "mcp-session-id": sid,
      "mcp-protocol-version": "2025-11-25",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return { ended };
}

const toolCall = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("credentials end what they opened", () => {
  it("turning auth on ends every session and socket opened before it; clients initialize again with a token", async () => {
    const room = "cut-enable";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "victim" });
    const old = await openSession(room);
    await (await mcp(room, toolCall(2, "masc_join", { agent_name: "victim" }), { "mcp-session-id": old })).text();
    const stream = await openStream(room, old);
    const dash = await openSocket(`/r/${room}/ws?kind=dashboard`);
    const own = await openSocket(`/r/${room}/ws?kind=client&agent=victim`);

    const enabled = await call(client, "masc_auth_enable");
    expect(enabled.json.room_secret).toMatch(/^masc_secret_/);
    await stream.ended;
    expect(await dash.closed).toBe(4401);
    expect(await own.closed).toBe(4401);

    const { client: admin } = await connect(room, "admin", { stream: false, token: enabled.json.room_secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const token = (await call(admin, "masc_auth_create_token", { agent_name: "mallory", role: "worker" })).json.token;
    // The old session is not handed to the first token that uses it.
    const reused = await mcp(room, toolCall(3, "masc_messages", { agent_name: "victim" }), {
      "mcp-session-id": old,
      authorization: `Bearer ${token}`,
    });
    expect(reused.status).toBe(404);
    expect(await reused.text()).toContain("Session not found");
    const fresh = await openSession(room, token);
    const res = await mcp(room, toolCall(4, "masc_status", {}), { "mcp-session-id": fresh, authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    await res.text();
    await admin.close();
  });

  it("revoking a token closes its sockets and GET streams at once; refreshing closes the old token's only", async () => {
    const room = "cut-revoke";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["w1", "w2"]) await call(client, "masc_join", { agent_name: a });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret;
    const { client: admin } = await connect(room, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const t1 = (await call(admin, "masc_auth_create_token", { agent_name: "w1" })).json.token;
    const t2 = (await call(admin, "masc_auth_create_token", { agent_name: "w2" })).json.token;

    const s1 = await openSession(room, t1);
    const stream1 = await openStream(room, s1, t1);
    const sock1 = await openSocket(`/r/${room}/ws?kind=client&agent=w1&token=${t1}`);
    const sock2 = await openSocket(`/r/${room}/ws?kind=client&agent=w2&token=${t2}`);
    await sock2.next((f) => f.type === "welcome");

    expect((await call(admin, "masc_auth_revoke", { agent_name: "w1" })).json.revoked).toBe(1);
    await stream1.ended;
    expect(await sock1.closed).toBe(4401);
    const again = await exports.default.fetch(`http://localhost/r/${room}/mcp`, {
      headers: { accept: "text/event-stream", "mcp-session-id": s1, authorization: `Bearer ${t1}` },
    });
    expect(again.status).toBe(401);
    await again.text();

    // w2 refreshes: its old socket closes, one opened with the new token keeps receiving.
    const s2 = await openSession(room, t2);
    const stream2 = await openStream(room, s2, t2);
    await (
      await mcp(room, toolCall(6, "masc_switch_mode", { mode: "full" }), { "mcp-session-id": s2, authorization: `Bearer ${t2}` })
    ).text();
    const refreshed = await mcp(room, toolCall(5, "masc_auth_refresh", { agent_name: "w2", token: t2 }), {
      "mcp-session-id": s2,
      authorization: `Bearer ${t2}`,
    });
    const body = (await refreshed.json()) as { result: { content: Array<{ text: string }> } };
    const t2b = JSON.parse(body.result.content[0]?.text ?? "{}").token as string;
    expect(t2b).toMatch(/^masc_/);
    expect(await sock2.closed).toBe(4401);
    await stream2.ended;
    const sock2b = await openSocket(`/r/${room}/ws?kind=client&agent=w2&token=${t2b}`);
    await sock2b.next((f) => f.type === "welcome");
    const sent = await call(admin, "masc_broadcast", { agent_name: "w1", message: "@w2 still here" });
    await sock2b.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sent.json.seq);
    sock2b.ws.close();
    await admin.close();
    await client.close();
  });

  it("a session opened before auth and restored after eviction ends too", async () => {
    const room = "cut-evicted";
    const old = await openSession(room);
    await evictDurableObject(env.ROOM.getByName(room));
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret;
    const reused = await mcp(room, toolCall(2, "masc_status", {}), { "mcp-session-id": old, authorization: `Bearer ${secret}` });
    expect(reused.status).toBe(404);
    expect(await reused.text()).toContain("initialize again");
  });

  it("a masc_listen waiting when its token is revoked ends at once instead of delivering later", async () => {
    const room = "cut-listen";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "w3" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret;
    const { client: admin } = await connect(room, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const token = (await call(admin, "masc_auth_create_token", { agent_name: "w3" })).json.token;
    const { client: w3 } = await connect(room, "w3", { stream: false, token });
    await call(w3, "masc_switch_mode", { mode: "full" });
    const waiting = call(w3, "masc_listen", { agent_name: "w3", timeout: 120 });
    for (;;) {
      const who = await call(admin, "masc_who");
      if (JSON.stringify(who.json.listening) === '["w3"]') break;
    }
    await call(admin, "masc_auth_revoke", { agent_name: "w3" });
    // The wait is relayed by the Worker: when the relay closes, the call is retried as the same
    // caller and the room refuses the revoked token instead of delivering later.
    await expect(waiting).rejects.toThrow(/the token of w3 was revoked/);
    await admin.close();
  });

  it("a token that expires gets nothing more: its socket and GET stream close before the next event", async () => {
    const room = "cut-expiry";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "w4" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret;
    const { client: admin } = await connect(room, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const token = (await call(admin, "masc_auth_create_token", { agent_name: "w4", ttl_hours: 1 })).json.token;
    const sid = await openSession(room, token);
    const stream = await openStream(room, sid, token);
    const feed = await openSocket(`/r/${room}/ws?kind=client&agent=w4&token=${token}`);
    await feed.next((f) => f.type === "welcome");
    // An hour passes for this token: what the room remembers of it says it ran out.
    await runInDurableObject(env.ROOM.getByName(room), (instance: Room, state) => {
      const { sockets } = instance.core;
      for (const ws of sockets.all()) {
        const info = sockets.info(ws);
        if (info.caller) sockets.setInfo(ws, { ...info, caller: { ...info.caller, expires_at: Date.now() - 1 } });
      }
      // The GET stream is relayed by the Worker: its relay socket remembers the credential that opened it.
      for (const ws of state.getWebSockets("relay")) {
        const info = ws.deserializeAttachment() as { caller?: { expires_at?: number } | null } | null;
        if (info?.caller) ws.serializeAttachment({ ...info, caller: { ...info.caller, expires_at: Date.now() - 1 } });
      }
    });
    const sent = await call(admin, "masc_broadcast", { agent_name: "w4", message: "@w4 after expiry" });
    expect(await feed.closed).toBe(4401);
    await stream.ended;
    expect(feed.frames.some((f) => f.type === "event" && (f.event as { seq: number }).seq === sent.json.seq)).toBe(false);
    await admin.close();
  });
});
