import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/mcp/registry";
import { PERMISSIONS } from "../../src/room/permissions";
import { call, connect, mintTokens } from "./mcp";

const ROOM = "auth";
let secret = "";
const tokens: Record<string, string> = {};

const initBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const rawInit = (headers: Record<string, string> = {}) =>
  exports.default.fetch(`http://localhost/r/${ROOM}/mcp`, {
    method: "POST",
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json", ...headers },
    body: initBody,
  });

describe("auth with roles", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["claude", "gemini", "reader1"]) await call(client, "masc_join", { agent_name: a });
    await call(client, "masc_add_task", { title: "a" });
    const enabled = await call(client, "masc_auth_enable");
    secret = enabled.json.room_secret;
    expect(secret).toMatch(/^masc_secret_/);
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, secret, { claude: "worker", gemini: "worker", reader1: "reader", boss: "admin" }));
  });

  it("lists every registered tool in the permission table", () => {
    const missing = TOOLS.map((t) => t.name).filter((n) => !(n in PERMISSIONS));
    expect(missing).toEqual([]);
  });

  it("stores only hashes of the secret and tokens", async () => {
    const stored = await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) =>
      JSON.stringify([state.storage.sql.exec("SELECT * FROM tokens").toArray(), state.storage.sql.exec("SELECT * FROM meta").toArray()]),
    );
    expect(stored).not.toContain(secret);
    // A token is masc_<12-char id>_<secret>; the secret itself may contain "_".
    for (const t of Object.values(tokens)) expect(stored).not.toContain(t.slice("masc_".length + 13));
  });

  it("refuses a request with no token or a wrong one with 401", async () => {
    expect((await rawInit()).status).toBe(401);
    expect((await rawInit({ authorization: "Bearer masc_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" })).status).toBe(401);
    expect((await rawInit({ authorization: "Bearer masc_secret_wrong" })).status).toBe(401);
    expect((await rawInit({ authorization: `Bearer ${tokens.claude}` })).status).toBe(200);
    const gql = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, {
      method: "POST",
      body: JSON.stringify({ query: "{ status { project } }" }),
    });
    expect(gql.status).toBe(401);
    for (const path of ["api/overview", "metrics"]) {
      expect((await exports.default.fetch(`http://localhost/r/${ROOM}/${path}`)).status, path).toBe(401);
      const ok = await exports.default.fetch(`http://localhost/r/${ROOM}/${path}`, {
        headers: { authorization: `Bearer ${tokens.reader1}` },
      });
      expect(ok.status, path).toBe(200);
      await ok.text();
    }
    const inUrl = await exports.default.fetch(`http://localhost/r/${ROOM}/api/overview?token=${tokens.reader1}`);
    expect(inUrl.status, "a token in the URL counts only for a WebSocket").toBe(401);
    await inUrl.text();
    const ws = await exports.default.fetch(`http://localhost/r/${ROOM}/ws`, { headers: { upgrade: "websocket" } });
    expect(ws.status).toBe(401);
    const wsOk = await exports.default.fetch(`http://localhost/r/${ROOM}/ws?token=${tokens.claude}&agent=claude`, {
      headers: { upgrade: "websocket" },
    });
    expect(wsOk.status).toBe(101);
    wsOk.webSocket?.accept();
    wsOk.webSocket?.close();
    const wsOther = await exports.default.fetch(`http://localhost/r/${ROOM}/ws?token=${tokens.claude}&agent=gemini`, {
      headers: { upgrade: "websocket" },
    });
    expect(wsOther.status).toBe(403);
  });

  it("refuses a reader's write and a worker acting as another agent; lets a worker act as itself and an admin do anything", async () => {
    const { client: reader } = await connect(ROOM, "r", { stream: false, token: tokens.reader1 });
    expect((await call(reader, "masc_status")).isError).toBe(false);
    expect((await call(reader, "masc_add_task", { title: "x" })).text).toMatch(
      /^forbidden: masc_add_task needs role worker; reader1 is reader/,
    );
    const { client: worker } = await connect(ROOM, "w", { stream: false, token: tokens.claude });
    expect((await call(worker, "masc_claim", { agent_name: "gemini", task_id: "task-001" })).text).toMatch(
      /^forbidden: your token is for claude; you cannot act as gemini/,
    );
    expect((await call(worker, "masc_claim", { agent_name: "claude", task_id: "task-001" })).isError).toBe(false);
    expect((await call(worker, "masc_gc")).text).toMatch(/^forbidden: masc_gc needs role admin/);
    const { client: admin } = await connect(ROOM, "a", { stream: false, token: tokens.boss });
    expect((await call(admin, "masc_release", { agent_name: "claude", task_id: "task-001" })).isError).toBe(false);
    expect((await call(admin, "masc_gc")).isError).toBe(false);
    for (const c of [reader, worker, admin]) await c.close();
  });

  it("keeps a session to the identity that opened it, and each request's caller to itself", async () => {
    const opened = await rawInit({ authorization: `Bearer ${tokens.claude}` });
    expect(opened.status).toBe(200);
    const sid = opened.headers.get("mcp-session-id") ?? "";
    await opened.text();
    const post = (token: string | undefined, id: number, method: string, params: object) =>
      exports.default.fetch(`http://localhost/r/${ROOM}/mcp`, {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-session-id": sid,
          "mcp-protocol-version": "2025-11-25",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
      });
    const initialized = await post(tokens.claude, 0, "notifications/initialized", {});
    await initialized.text();
    const full = await post(tokens.claude, 1, "tools/call", { name: "masc_switch_mode", arguments: { mode: "full" } });
    expect(full.status).toBe(200);
    await full.text();
    const hijack = await post(tokens.gemini, 2, "tools/call", { name: "masc_status", arguments: {} });
    expect(hijack.status).toBe(403);
    expect(await hijack.text()).toContain("another identity");
    const admin = await post(secret, 3, "tools/call", { name: "masc_status", arguments: {} });
    expect(admin.status).toBe(403);
    await admin.text();
    // Two requests in flight on the owner's session at once each act as their own caller.
    const who = async (id: number) => {
      const r = await post(tokens.claude, id, "tools/call", { name: "masc_auth_status", arguments: {} });
      const body = (await r.json()) as { result: { content: { text: string }[] } };
      return JSON.parse(body.result.content[0]?.text ?? "{}").you;
    };
    const [a, b] = await Promise.all([who(4), who(5)]);
    expect(a).toEqual({ agent: "claude", role: "worker", via: "token" });
    expect(b).toEqual(a);
  });

  it("refuses revoked and expired tokens, and refreshes a valid one", async () => {
    const { client: admin } = await connect(ROOM, "a2", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    const temp = (await call(admin, "masc_auth_create_token", { agent_name: "gemini", role: "worker", ttl_hours: 1 })).json.token as string;
    expect((await rawInit({ authorization: `Bearer ${temp}` })).status).toBe(200);
    await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) => {
      state.storage.sql.exec(
        "UPDATE tokens SET expires_at = ? WHERE agent = 'gemini' AND expires_at < ?",
        Date.now() - 1,
        Date.now() + 2 * 3_600_000,
      );
    });
    const expired = await rawInit({ authorization: `Bearer ${temp}` });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain("expired");

    const { client: claude } = await connect(ROOM, "c", { stream: false, token: tokens.claude });
    await call(claude, "masc_switch_mode", { mode: "full" });
    const refreshed = await call(claude, "masc_auth_refresh", { agent_name: "claude", token: tokens.claude });
    expect(refreshed.json.token).toMatch(/^masc_/);
    expect((await rawInit({ authorization: `Bearer ${tokens.claude}` })).status).toBe(401);
    expect((await rawInit({ authorization: `Bearer ${refreshed.json.token}` })).status).toBe(200);

    expect((await call(admin, "masc_auth_revoke", { agent_name: "claude" })).json.revoked).toBeGreaterThan(0);
    const revoked = await rawInit({ authorization: `Bearer ${refreshed.json.token}` });
    expect(revoked.status).toBe(401);
    expect(await revoked.text()).toContain("revoked");
    const listed = await call(admin, "masc_auth_list");
    expect(JSON.stringify(listed.json)).not.toContain("masc_");
    await admin.close();
  });
});
