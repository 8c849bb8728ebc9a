import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { call, connect } from "./mcp";
import { mcpUrl, register } from "./oauth-flow";

/** One room with auth on, its admin, and what OAuth tests need from it. */
export function oauthRoom(room: string) {
  let secret = "";
  let clientId = "";

  async function setUp(): Promise<void> {
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    secret = (await call(client, "masc_auth_enable")).json.room_secret;
    await client.close();
    clientId = await register();
  }

  async function admin() {
    const { client } = await connect(room, "admin", { stream: false, token: secret });
    await call(client, "masc_switch_mode", { mode: "full" });
    return client;
  }

  async function invite(agent: string, role = "worker"): Promise<string> {
    const a = await admin();
    const minted = await call(a, "masc_auth_invite", { agent_name: agent, role });
    await a.close();
    expect(minted.json.invite).toMatch(/^masc_invite_/);
    return minted.json.invite;
  }

  const grantCount = () =>
    runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
      Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM oauth_grants").one().n),
    );

  return {
    setUp,
    admin,
    invite,
    grantCount,
    get secret() {
      return secret;
    },
    get clientId() {
      return clientId;
    },
  };
}

/** An MCP initialize with this bearer (and extra headers), straight through the Worker. */
export const rawCall = (room: string, bearer: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(mcpUrl(room), {
    method: "POST",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      authorization: `Bearer ${bearer}`,
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });
