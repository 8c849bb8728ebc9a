import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type ToolReply, tool } from "../../test/helpers/client.ts";
import { modernClient, modernTool } from "../../test/helpers/modern-client.ts";
import type { Meters } from "../stats.ts";

/**
 * How the bench's clients talk: `era` 2025 (official SDK v1 client, a session, its GET stream open
 * unless `--streams=off`, where the client answers its own GET with 405 to price the fan-out) or
 * 2026 (the v2 client pinned to 2026-07-28: stateless, no session, no stream).
 */
export const clientMode = { era: "2025" as "2025" | "2026", streams: true };

/** One agent's connection, whichever era. */
export interface Agent {
  /** The room's MCP endpoint and the agent's name there (joinAgents joins it under that name). */
  readonly url: string;
  readonly name: string;
  call(name: string, args?: Record<string, unknown>): Promise<ToolReply>;
  close(): Promise<void>;
}

/** One agent's client in the current era, connected (in the 2025 era: initialized, its stream opening). */
export async function connect(url: string, name: string): Promise<Agent> {
  if (clientMode.era === "2026") {
    const client = await modernClient(url);
    return { url, name, call: (n, a = {}) => modernTool(client, n, a), close: () => client.close() };
  }
  const noGet: typeof fetch = (input, init) =>
    init?.method === "GET" ? Promise.resolve(new Response(null, { status: 405 })) : fetch(input, init);
  const transport = new StreamableHTTPClientTransport(new URL(url), clientMode.streams ? {} : { fetch: noGet });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return { url, name, call: (n, a = {}) => tool(client, n, a), close: () => client.close() };
}

/** What every scenario gets from the runner. */
export interface Bench {
  url: string;
  /** CPU ms so far of the room's workerd process and of the dev proxy's. */
  meters: Meters;
  /** Resident memory of the room's workerd process, MiB. */
  rss: () => number;
  /** One bare Worker -> Durable Object echo round trip. */
  echo: () => Promise<void>;
  /** The same round trip with one row inserted and committed: the floor of a write. */
  echoWrite: () => Promise<void>;
}

/** A call that must succeed; its first line parsed as JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tool replies are arbitrary JSON.
export async function ok(agent: Agent, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const r = await agent.call(name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.text}`);
  return r.json;
}

/**
 * `n` clients joined to `room` as `<prefix>-<i>`; in the 2025 era with their GET streams open (the
 * SDK opens it after initialize), waited for until the room sees every stream.
 */
export async function joinAgents(url: string, room: string, n: number, prefix = "agent"): Promise<Agent[]> {
  const agents: Agent[] = [];
  // A few at a time: fifty handshakes at once only measure the dev proxy's accept queue.
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async (_, k) => {
        const agent = await connect(`${url}/r/${room}/mcp`, `${prefix}-${i + k}`);
        await ok(agent, "masc_join", { agent_name: agent.name });
        return agent;
      }),
    );
    agents.push(...batch);
  }
  if (clientMode.era === "2026" || !clientMode.streams) return agents;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const who = await ok(agents[0] as Agent, "masc_who");
    if (who.sessions.filter((s: { streaming: boolean }) => s.streaming).length >= n) return agents;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`only some of ${n} GET streams opened in time`);
}

/**
 * Closes every client, then its agent leaves the room, through one stream-less client per room.
 * Agents that only went quiet would turn zombie five minutes later and hand back all they held,
 * all at once: a burst of room CPU (540 ms for 20 agents holding 2,800 tasks) in whatever row ran
 * then. Leaving hands it back now, before the next row, with no stream left to push it to.
 */
export async function closeAll(agents: readonly Agent[]): Promise<void> {
  await Promise.all(agents.map((a) => a.close().catch(() => undefined)));
  const rooms = new Map<string, string[]>();
  for (const a of agents) rooms.set(a.url, [...(rooms.get(a.url) ?? []), a.name]);
  for (const [url, names] of rooms) {
    const client = await modernClient(url);
    try {
      for (const name of names) {
        const r = await modernTool(client, "masc_leave", { agent_name: name });
        if (r.isError) throw new Error(`masc_leave failed for ${name}: ${r.text}`);
      }
    } finally {
      await client.close();
    }
  }
}
