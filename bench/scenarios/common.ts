import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { tool } from "../../test/helpers/client.ts";

/** `--streams=off`: clients answer their own GET with 405, as if the server had no stream, to price the fan-out. */
export const streams = { on: true };

async function connect(url: string, name: string): Promise<Client> {
  const noGet: typeof fetch = (input, init) =>
    init?.method === "GET" ? Promise.resolve(new Response(null, { status: 405 })) : fetch(input, init);
  const transport = new StreamableHTTPClientTransport(new URL(url), streams.on ? {} : { fetch: noGet });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** What every scenario gets from the runner. */
export interface Bench {
  url: string;
  /** CPU ms of the room's workerd process so far. */
  cpu: () => number;
  /** Resident memory of the room's workerd process, MiB. */
  rss: () => number;
  /** One bare Worker -> Durable Object echo round trip. */
  echo: () => Promise<void>;
}

/** A call that must succeed; its first line parsed as JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tool replies are arbitrary JSON.
export async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const r = await tool(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.text}`);
  return r.json;
}

/**
 * `n` official-SDK clients joined to `room` as `<prefix>-<i>`, each with its GET stream open (the
 * SDK opens it after initialize), waited for until the room sees every stream.
 */
export async function joinAgents(url: string, room: string, n: number, prefix = "agent"): Promise<Client[]> {
  const clients: Client[] = [];
  // A few at a time: fifty handshakes at once only measure the dev proxy's accept queue.
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async (_, k) => {
        const client = await connect(`${url}/r/${room}/mcp`, `${prefix}-${i + k}`);
        await ok(client, "masc_join", { agent_name: `${prefix}-${i + k}` });
        return client;
      }),
    );
    clients.push(...batch);
  }
  if (!streams.on) return clients;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const who = await ok(clients[0] as Client, "masc_who");
    if (who.sessions.filter((s: { streaming: boolean }) => s.streaming).length >= n) return clients;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`only some of ${n} GET streams opened in time`);
}

export async function closeAll(clients: readonly Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
}
