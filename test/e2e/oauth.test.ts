import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser";
import { mcpClient, tool } from "../helpers/client";
import { callbackServer, MemoryOAuthProvider } from "../helpers/oauth-client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const ROOM = "signin";
const BIN = resolve(import.meta.dirname, "../../local-agent/bin/masc-agent.js");

describe("OAuth sign-in with the official MCP SDK client and a person at the consent page", () => {
  let server: DevServer;
  let browser: Browser;
  let callback: Awaited<ReturnType<typeof callbackServer>>;
  let secret = "";

  beforeAll(async () => {
    [server, callback] = await Promise.all([startWrangler(), callbackServer()]);
    browser = await launchChromium();
    // The owner of the room turns auth on from this machine (loopback is open at first).
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "owner");
    await tool(client, "masc_switch_mode", { mode: "full" });
    secret = (await tool(client, "masc_auth_enable")).json.room_secret;
    await client.close();
  });
  afterAll(async () => {
    await browser?.close();
    await callback?.close();
    await server?.stop();
  });

  const asAdmin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const { client } = await mcpClient(`${server.url}/r/${ROOM}/mcp`, "admin", { authorization: `Bearer ${secret}` });
    await tool(client, "masc_switch_mode", { mode: "full" });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  };

  it("discovery, registration, consent in the browser, code, token, tools, refresh, revoke", async () => {
    const invite = await asAdmin(async (c) => (await tool(c, "masc_auth_invite", { agent_name: "claude", role: "worker" })).json.invite);
    const url = new URL(`${server.url}/r/${ROOM}/mcp`);
    const provider = new MemoryOAuthProvider(callback.url, "Claude Code (e2e)");

    // No pre-shared header: the SDK gets 401, discovers, registers and asks a person to sign in.
    const first = new Client({ name: "oauth-e2e", version: "1.0.0" });
    await expect(first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }))).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(provider.info?.client_id).toBeTruthy();
    const authorizationUrl = provider.authorizationUrl;
    expect(authorizationUrl?.origin + (authorizationUrl?.pathname ?? "")).toBe(`${server.url}/authorize`);
    expect(authorizationUrl?.searchParams.get("resource")).toBe(url.href);

    // The person: opens the page, reads it, pastes the invite, checks who they will be, approves.
    // With JavaScript off: the page is a plain form.
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(authorizationUrl?.href ?? "");
    expect(await page.locator("#room").textContent()).toBe(ROOM);
    expect(await page.locator("#client").textContent()).toBe("Claude Code (e2e)");
    expect(await page.locator("#redirect-host").textContent()).toBe("127.0.0.1");
    await page.fill('input[name="invite"]', invite);
    await page.click('button[value="continue"]');
    expect(await page.locator("#agent").textContent()).toBe("claude");
    expect(await page.locator("#role").textContent()).toBe("worker");
    const arrived = callback.next();
    await page.click('button[value="approve"]');
    const back = await arrived;
    await page.close();
    const code = back.searchParams.get("code");
    expect(code).toBeTruthy();
    expect(back.searchParams.get("iss")).toBe(server.url);

    // The app finishes with the code and reconnects with its token.
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await transport.finishAuth(code ?? "");
    const firstTokens = provider.saved;
    expect(firstTokens?.access_token).toBeTruthy();
    expect(firstTokens?.refresh_token).toBeTruthy();
    const client = new Client({ name: "oauth-e2e", version: "1.0.0" });
    await client.connect(transport);
    await tool(client, "masc_switch_mode", { mode: "full" });
    expect((await tool(client, "masc_join", { agent_name: "claude" })).isError).toBe(false);
    const status = await tool(client, "masc_status");
    expect(status.isError).toBe(false);
    expect(status.text).toContain("claude");
    expect((await tool(client, "masc_auth_status")).json.you).toEqual({ agent: "claude", role: "worker", via: "oauth" });
    expect((await tool(client, "masc_join", { agent_name: "gemini" })).text).toMatch(/^forbidden: your token is for claude/);
    await client.close();

    // Refresh: a new access token and a rotated refresh token, and the new token works.
    expect(await auth(provider, { serverUrl: url })).toBe("AUTHORIZED");
    expect(provider.saved?.access_token).not.toBe(firstTokens?.access_token);
    expect(provider.saved?.refresh_token).not.toBe(firstTokens?.refresh_token);
    const refreshed = new Client({ name: "oauth-e2e", version: "1.0.0" });
    await refreshed.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    expect((await tool(refreshed, "masc_heartbeat", { agent_name: "claude" })).isError).toBe(false);

    // Revoke: the admin ends claude's sign-in; the next call is 401 and no refresh brings it back.
    const revoked = await asAdmin(async (c) => (await tool(c, "masc_auth_revoke", { agent_name: "claude" })).json);
    expect(revoked.revoked_oauth).toBe(1);
    const raw = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${provider.saved?.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get("www-authenticate")).toContain(
      `resource_metadata="${server.url}/.well-known/oauth-protected-resource/r/${ROOM}/mcp"`,
    );
    await expect(tool(refreshed, "masc_status")).rejects.toBeInstanceOf(UnauthorizedError);
    await refreshed.close().catch(() => undefined);
  });

  it("masc-agent stdio signs in the same way and keeps its token in a 0600 file", async () => {
    const invite = await asAdmin(async (c) => (await tool(c, "masc_auth_invite", { agent_name: "codex", role: "worker" })).json.invite);
    const config = mkdtempSync(join(tmpdir(), "masc-config-"));
    const stdio = () =>
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, "stdio", "--url", server.url],
        env: { ...process.env, MASC_CLUSTER_NAME: ROOM, MASC_CONFIG_DIR: config, MASC_NO_BROWSER: "1" } as Record<string, string>,
        stderr: "pipe",
      });
    try {
      const transport = stdio();
      let err = "";
      const printed = new Promise<string>((res) => {
        transport.stderr?.on("data", (d: Buffer) => {
          err += d.toString();
          const m = /(http:\/\/\S+\/authorize\?\S+)/.exec(err);
          if (m?.[1]) res(m[1]);
        });
      });
      const client = new Client({ name: "stdio-e2e", version: "1.0.0" });
      const connected = client.connect(transport);
      const page = await browser.newPage();
      await page.goto(await printed);
      expect(await page.locator("#client").textContent()).toBe("masc-agent stdio");
      await page.fill('input[name="invite"]', invite);
      await page.click('button[value="continue"]');
      expect(await page.locator("#agent").textContent()).toBe("codex");
      await page.click('button[value="approve"]');
      await page.waitForSelector("text=masc-agent is signed in");
      await page.close();
      await connected;
      await tool(client, "masc_switch_mode", { mode: "full" });
      expect((await tool(client, "masc_auth_status")).json.you).toEqual({ agent: "codex", role: "worker", via: "oauth" });
      await client.close();
      const file = join(config, "oauth.json");
      expect(statSync(file).mode & 0o777).toBe(0o600);

      // The next start uses the stored token: no browser.
      const again = new Client({ name: "stdio-e2e", version: "1.0.0" });
      await again.connect(stdio());
      expect((await tool(again, "masc_join", { agent_name: "codex" })).isError).toBe(false);
      await again.close();
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it("an admin mints an invite on the dashboard, and it opens the consent page's second step", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/r/${ROOM}/`);
    await page.fill("#token", secret);
    await page.click("#auth button");
    await page.click("#invite-panel summary");
    await page.fill("#invite-agent", "gemini");
    await page.selectOption("#invite-role", "reader");
    await page.click("#invite-form button");
    const invite = (await page.locator("#invite-code").textContent()) ?? "";
    expect(invite).toMatch(/^masc_invite_/);
    expect(await page.locator("#invite-out").textContent()).toContain(`${server.url}/r/${ROOM}/mcp`);

    const provider = new MemoryOAuthProvider(callback.url, "dashboard invite check");
    const url = new URL(`${server.url}/r/${ROOM}/mcp`);
    expect(await auth(provider, { serverUrl: url })).toBe("REDIRECT");
    await page.goto(provider.authorizationUrl?.href ?? "");
    await page.fill('input[name="invite"]', invite);
    await page.click('button[value="continue"]');
    expect(await page.locator("#agent").textContent()).toBe("gemini");
    expect(await page.locator("#role").textContent()).toBe("reader");
    await page.close();
  });
});
