import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type ElicitRequest, ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { untilStreaming } from "../helpers/agents";
import { call, connect } from "./mcp";

const inWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));

const ASK = { agent_name: "claude", task_id: "deploy-1", step: 1, action: "wrangler deploy", message: "Ship to production?" };

/** A 2025-era client with its GET stream open that answers elicitation/create with `reply`. */
async function legacyAsked(room: string, reply: (req: ElicitRequest) => Promise<ElicitResult>): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost/r/${room}/mcp`), { fetch: inWorker });
  const client = new Client({ name: "legacy-form", version: "1" }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, reply);
  await client.connect(transport);
  await call(client, "masc_join", { agent_name: "claude" });
  await untilStreaming(client, "claude");
  return client;
}

/** Evicts the room; evictDurableObject waits for requests in flight, so finishing proves there are none. */
async function evictIdle(room: string): Promise<void> {
  const stuck = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${room} kept a request open`)), 8000));
  await Promise.race([evictDurableObject(env.ROOM.getByName(room)), stuck]);
}

describe("a 2025-era approval question waits in the Worker, not in the room", () => {
  it("lets the room be evicted while the question is open, and the answer still decides the call", async () => {
    const room = "appr-relay";
    const seen: string[] = [];
    const agent = await legacyAsked(room, async (req: ElicitRequest) => {
      seen.push(req.params.message);
      await evictIdle(room);
      seen.push("evicted");
      return { action: "accept", content: { decision: "approve", reason: "green build" } };
    });
    const out = await call(agent, "masc_interrupt", ASK);
    expect(seen).toEqual([expect.stringContaining("Ship to production?"), "evicted"]);
    expect(out.json).toMatchObject({ decision: "approved", checkpoint: { state: "approved", reason: "green build" } });
    const { client: human } = await connect(room, "human", { stream: false });
    expect((await call(human, "masc_pending_interrupts")).json.count).toBe(0);
    expect((await call(human, "masc_approve", { task_id: "deploy-1" })).text).toMatch(/^already_decided: /);
    await agent.close();
    await human.close();
  });

  it("hands the wait to the Worker for a call that asked for progress too", async () => {
    const room = "appr-relay-progress";
    let evicted = false;
    const agent = await legacyAsked(room, async () => {
      await evictIdle(room);
      evicted = true;
      return { action: "accept", content: { decision: "reject" } };
    });
    const out = await agent.callTool({ name: "masc_interrupt", arguments: ASK }, undefined, { onprogress: () => undefined });
    const text = (out.content as Array<{ text: string }>)[0]?.text ?? "";
    expect(evicted).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ decision: "rejected", checkpoint: { state: "rejected" } });
    await agent.close();
  });

  it("returns the pending checkpoint at once when the human declines in the client", async () => {
    const room = "appr-relay-decline";
    const agent = await legacyAsked(room, async () => ({ action: "decline" }));
    const out = await call(agent, "masc_interrupt", ASK);
    expect(out.json).toMatchObject({ decision: null, task_id: "deploy-1", state: "pending" });
    const { client: human } = await connect(room, "human", { stream: false });
    expect((await call(human, "masc_pending_interrupts")).json.count).toBe(1);
    expect((await call(human, "masc_approve", { task_id: "deploy-1" })).isError).toBe(false);
    await agent.close();
    await human.close();
  });

  it("ignores a forged answer to a question it never asked on that session", async () => {
    const room = "appr-relay-forged";
    const agent = await legacyAsked(room, async () => ({ action: "decline" }));
    const raised = await call(agent, "masc_interrupt", ASK);
    expect(raised.json.decision).toBeNull();
    const { client: other, transport } = await connect(room, "other", { stream: false });
    const forged = await inWorker(`http://localhost/r/${room}/mcp`, {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-session-id": transport.sessionId ?? "",
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: "masc-approval-00000000-0000-0000-0000-000000000000",
        result: { action: "accept", content: { decision: "approve" } },
      }),
    });
    expect(forged.status).toBe(202);
    await forged.text();
    expect((await call(other, "masc_pending_interrupts")).json.count).toBe(1);
    await agent.close();
    await other.close();
  });
});
