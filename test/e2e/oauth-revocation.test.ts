import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpClient, tool } from "../helpers/client";
import { callbackServer, MemoryOAuthProvider } from "../helpers/oauth-client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

/** Issue 26, findings 2 and 4, under real wrangler dev (its KV) with the official SDK client. */
const ROOM = "endings";
const BIN = resolve(import.meta.dirname, "../../local-agent/bin/masc-agent.js");

describe("a client's own revocation and a replayed refresh token end the SDK client's sign-in", () => {
  let server: DevServer;
  let callback: Awaited<ReturnType<typeof callbackServer>>;
  let secret = "";
  const url = () => new URL(`${server.url}/r/${ROOM}/mcp`);

  beforeAll(async () => {
    [server, callback] = await Promise.all([startWrangler(), callbackServer()]);
    const { client } = await mcpClient(url().href, "owner");
    await tool(client, "masc_switch_mode", { mode: "full" });
    secret = (await tool(client, "masc_auth_enable")).json.room_secret;
    await client.close();
  });
  afterAll(async () => {
    await callback?.close();
    await server?.stop();
  });

  async function asAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const { client } = await mcpClient(url().href, "admin", { authorization: `Bearer ${secret}` });
    await tool(client, "masc_switch_mode", { mode: "full" });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  }

  /** The SDK's own flow; the person at the consent page is a plain form post with the invite. */
  async function signIn(agent: string): Promise<MemoryOAuthProvider> {
    const invite = await asAdmin(async (c) => (await tool(c, "masc_auth_invite", { agent_name: agent })).json.invite);
    const provider = new MemoryOAuthProvider(callback.url, `e2e ${agent}`);
    expect(await auth(provider, { serverUrl: url() })).toBe("REDIRECT");
    const page = await fetch(provider.authorizationUrl ?? "");
    const handle = /name="handle" value="([^"]*)"/.exec(await page.text())?.[1] ?? "";
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const approved = await fetch(provider.authorizationUrl ?? "", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: server.url },
      body: new URLSearchParams({ handle, invite, step: "approve" }),
      redirect: "manual",
    });
    const code = new URL(approved.headers.get("location") ?? "").searchParams.get("code") ?? "";
    expect(await auth(provider, { serverUrl: url(), authorizationCode: code })).toBe("AUTHORIZED");
    return provider;
  }

  async function connected(provider: MemoryOAuthProvider): Promise<Client> {
    const client = new Client({ name: "revoke-e2e", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url(), { authProvider: provider }));
    expect((await tool(client, "masc_heartbeat", { agent_name: "x" })).text).not.toMatch(/^unauthorized/);
    return client;
  }

  /** A WebSocket opened with the access token, once welcomed; `closed` resolves with its close code. */
  async function openSocket(access: string): Promise<{ closed: Promise<number> }> {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/r/${ROOM}/ws?kind=client&token=${encodeURIComponent(access)}`);
    const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
    await new Promise((resolve, reject) => {
      ws.addEventListener("message", resolve, { once: true });
      ws.addEventListener("error", reject, { once: true });
    });
    return { closed };
  }

  async function status(access: string): Promise<number> {
    const res = await fetch(url(), {
      method: "POST",
      headers: { authorization: `Bearer ${access}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    await res.text();
    return res.status;
  }

  const tokenRequest = (fields: Record<string, string>) =>
    fetch(`${server.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });

  it("revoking the refresh token (RFC 7009): the access token, its socket and the SDK client stop; the list shows it ended", async () => {
    const provider = await signIn("ana");
    const client = await connected(provider);
    const access = provider.saved?.access_token ?? "";
    const socket = await openSocket(access);
    const revoked = await tokenRequest({
      token: provider.saved?.refresh_token ?? "",
      token_type_hint: "refresh_token",
      client_id: provider.info?.client_id ?? "",
    });
    expect(revoked.status).toBe(200);
    await revoked.text();
    expect(await status(access)).toBe(401);
    expect(await socket.closed).toBe(4401);
    await expect(tool(client, "masc_status")).rejects.toBeInstanceOf(UnauthorizedError);
    await client.close().catch(() => undefined);
    const listed = await asAdmin(async (c) => (await tool(c, "masc_auth_list")).json.oauth);
    expect(listed).toContainEqual(expect.objectContaining({ agent: "ana", active: false }));
  });

  it("a refresh token replayed after the SDK rotated it revokes the sign-in, and the SDK client must sign in again", async () => {
    const provider = await signIn("bea");
    const stolen = provider.saved?.refresh_token ?? "";
    expect(await auth(provider, { serverUrl: url() })).toBe("AUTHORIZED");
    expect(provider.saved?.refresh_token).not.toBe(stolen);
    const client = await connected(provider);
    const replayed = await tokenRequest({ grant_type: "refresh_token", refresh_token: stolen, client_id: provider.info?.client_id ?? "" });
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { error: string }).error).toBe("invalid_grant");
    expect(await status(provider.saved?.access_token ?? "")).toBe(401);
    await expect(tool(client, "masc_status")).rejects.toBeInstanceOf(UnauthorizedError);
    await client.close().catch(() => undefined);
  });
  it("two masc-agent stdio processes sharing one stored sign-in refresh it at the same moment: both work and the sign-in stays", async () => {
    const provider = await signIn("cid");
    const config = mkdtempSync(join(tmpdir(), "masc-config-"));
    const file = join(config, "oauth.json");
    const refresh = provider.saved?.refresh_token ?? "";
    // masc-agent's record of that sign-in, its access token past its hour: each process must renew it.
    writeFileSync(
      file,
      JSON.stringify({
        [url().href]: {
          issuer: server.url,
          token_endpoint: `${server.url}/token`,
          resource: url().href,
          client_id: provider.info?.client_id,
          tokens: { access_token: "expired", refresh_token: refresh, expires_at: Date.now() - 1000 },
        },
      }),
      { mode: 0o600 },
    );
    // Held here until both processes wait on it, so they reach for the refresh at the same moment.
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
    const bridges = ["one", "two"].map(() => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, "stdio", "--url", server.url],
        env: { ...process.env, MASC_CLUSTER_NAME: ROOM, MASC_CONFIG_DIR: config, MASC_NO_BROWSER: "1" } as Record<string, string>,
        stderr: "pipe",
      });
      let err = "";
      let signInAsked: (e: Error) => void = () => {};
      const lost = new Promise<never>((_, reject) => {
        signInAsked = reject;
      });
      const waiting = new Promise<void>((res) =>
        transport.stderr?.on("data", (d: Buffer) => {
          err += d.toString();
          if (err.includes(`waiting for pid ${process.pid} to refresh the sign-in`)) res();
          // A process whose refresh was refused falls back to the browser: the shared sign-in was lost.
          if (err.includes("in your browser")) signInAsked(new Error(`the stored sign-in was lost:\n${err}`));
        }),
      );
      const client = new Client({ name: "shared-sign-in", version: "1.0.0" });
      return { client, connected: Promise.race([client.connect(transport), lost]), waiting, stderr: () => err };
    });
    try {
      await Promise.all(bridges.map((b) => b.waiting));
      rmSync(`${file}.lock`);
      await Promise.all(bridges.map((b) => b.connected));
      const answers = await Promise.all(bridges.map((b) => tool(b.client, "masc_auth_status")));
      for (const a of answers) expect(a.json.you).toEqual({ agent: "cid", role: "worker", via: "oauth" });
      const listed = await asAdmin(async (c) => (await tool(c, "masc_auth_list")).json.oauth);
      expect(listed).toContainEqual(expect.objectContaining({ agent: "cid", active: true }));
      const stored = JSON.parse(readFileSync(file, "utf8"))[url().href].tokens;
      expect(stored.refresh_token).not.toBe(refresh);
      expect(existsSync(`${file}.lock`)).toBe(false);
      // Only one of them refreshed; the other took the token it stored. So the original refresh
      // token is still the grant's previous one, and replaying it now is caught as reuse.
      const replayed = await tokenRequest({
        grant_type: "refresh_token",
        refresh_token: refresh,
        client_id: provider.info?.client_id ?? "",
      });
      expect(replayed.status).toBe(400);
      await replayed.text();
      const after = await asAdmin(async (c) => (await tool(c, "masc_auth_list")).json.oauth);
      expect(after).toContainEqual(expect.objectContaining({ agent: "cid", active: false }));
    } finally {
      await Promise.all(bridges.map((b) => b.client.close().catch(() => undefined)));
      rmSync(config, { recursive: true, force: true });
    }
  });
});
