import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, type Inbox } from "../helpers/agents";
import { tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

interface Agent {
  name: string;
  client: Client;
  inbox: Inbox;
}

/** A stream-enabled SDK client that keeps retrying its GET stream across a server restart. */
async function agent(base: string, room: string, name: string): Promise<Agent> {
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/r/${room}/mcp`), {
    reconnectionOptions: { initialReconnectionDelay: 250, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 60 },
  });
  const client = new Client({ name, version: "1.0.0" });
  const inbox = collect(client);
  await client.connect(transport);
  expect((await tool(client, "masc_join", { agent_name: name })).isError).toBe(false);
  return { name, client, inbox };
}

async function untilAllStreaming(client: Client, names: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const who = await tool(client, "masc_who");
    const streaming = new Set(who.json.agents.filter((a: { streaming: boolean }) => a.streaming).map((a: { name: string }) => a.name));
    if (names.every((n) => streaming.has(n))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("GET streams did not open");
}

const NAMES = ["claude-1", "claude-2", "claude-3", "gemini-1", "gemini-2", "gemini-3", "codex-1", "codex-2", "codex-3", "codex-4"];

describe("real-time coordination under wrangler dev", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startWrangler();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("delivers mentions to the right sessions only among 10 agents, and a lock race has one winner", async () => {
    const agents = await Promise.all(NAMES.map((n) => agent(server.url, "rt", n)));
    const [sender] = agents;
    if (!sender) throw new Error("no agents");
    await untilAllStreaming(sender.client, NAMES);

    const one = await tool(sender.client, "masc_broadcast", { agent_name: "claude-1", message: "@gemini-2 please review" });
    const type = await tool(sender.client, "masc_broadcast", { agent_name: "claude-1", message: "@@codex build it" });
    const all = await tool(sender.client, "masc_broadcast", { agent_name: "claude-1", message: "@all standup" });
    const expected = (name: string) => [
      name === "gemini-2" ? one.json.seq : null,
      name.startsWith("codex") ? type.json.seq : null,
      all.json.seq,
    ];
    for (const a of agents) for (const seq of expected(a.name)) if (seq !== null) await a.inbox.next((e) => e.seq === seq, 10_000);
    // A later message to everyone: each stream delivers in order, so once it is in, anything the
    // three above wrongly sent to an agent would be in too.
    const sentinel = (await tool(sender.client, "masc_broadcast", { agent_name: "claude-1", message: "@all sentinel" })).json.seq as number;
    for (const a of agents) await a.inbox.next((e) => e.seq === sentinel, 10_000);
    for (const a of agents) {
      const got = a.inbox.events.filter((e) => e.kind === "broadcast" && e.seq < sentinel).map((e) => e.seq);
      expect({ agent: a.name, got }).toEqual({ agent: a.name, got: expected(a.name).filter((s) => s !== null) });
    }

    const race = await Promise.all(agents.map((a) => tool(a.client, "masc_lock", { agent_name: a.name, file: "src/contended.ts" })));
    const winners = race.filter((r) => !r.isError);
    expect(winners).toHaveLength(1);
    expect(
      race.filter((r) => r.isError).every((r) => r.text.startsWith(`lock_held: src/contended.ts is locked by ${winners[0]?.json.holder}`)),
    ).toBe(true);
    await Promise.all(agents.map((a) => a.client.close()));
  });

  it("loses nothing when the server restarts between a send and the receiver's reconnect", async () => {
    const claude = await agent(server.url, "restart", "claude");
    const gemini = await agent(server.url, "restart", "gemini");
    await untilAllStreaming(claude.client, ["gemini"]);
    const before = await tool(claude.client, "masc_broadcast", { agent_name: "claude", message: "@gemini before" });
    await gemini.inbox.next((e) => e.seq === before.json.seq, 10_000);
    const lastSeen = before.json.seq;

    const during = await tool(claude.client, "masc_broadcast", { agent_name: "claude", message: "@gemini sent right before the restart" });
    await server.restart();
    const after = await tool(claude.client, "masc_broadcast", { agent_name: "claude", message: "@gemini sent after the restart" });

    // The SSE stream resumes with Last-Event-ID and gets both, once each, in order.
    await gemini.inbox.next((e) => e.seq === after.json.seq, 30_000);
    const pushed = gemini.inbox.events.filter((e) => e.kind === "broadcast").map((e) => e.seq);
    expect(pushed).toEqual([before.json.seq, during.json.seq, after.json.seq]);

    // The tool cursor agrees: everything after the last seq seen, nothing twice.
    const page = await tool(gemini.client, "masc_messages", { agent_name: "gemini", since_seq: lastSeen });
    expect(page.json.messages.map((m: { seq: number }) => m.seq)).toEqual([during.json.seq, after.json.seq]);
    const listen = await tool(gemini.client, "masc_listen", { agent_name: "gemini", since: lastSeen, timeout: 0 });
    expect(listen.json.events.map((e: { content: string }) => e.content)).toEqual([
      "@gemini sent right before the restart",
      "@gemini sent after the restart",
    ]);
    await claude.client.close();
    await gemini.client.close();
  });
});
