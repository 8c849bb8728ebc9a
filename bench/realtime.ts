/**
 * Real-time benchmarks against a running masc server (the bench runner starts `wrangler dev`):
 * broadcast fan-out latency to listening agents, and file lock throughput. Uses the official MCP
 * SDK client, as agents do. Runs under plain Node (type stripping), so it imports packages only.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

export interface LatencyResult {
  p50: number;
  p99: number;
  samples: number;
}

export interface FanoutResult extends LatencyResult {
  agents: number;
  messages: number;
  /** Deliveries that never arrived within the per-message deadline. */
  lost: number;
}

export interface LockResult {
  /** Lock + unlock pairs per second, over all workers. */
  ops_per_s: number;
  p50: number;
  p99: number;
  pairs: number;
  concurrency: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? Number.NaN) * 100) / 100;
}

function summary(samples: number[]): LatencyResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}

async function connect(url: string, name: string): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

// biome-ignore lint/suspicious/noExplicitAny: tool replies are arbitrary JSON.
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  const text = first?.type === "text" ? first.text : "";
  if (result.isError) throw new Error(`${name} failed: ${text}`);
  return JSON.parse(text.split("\n")[0] ?? "null");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilStreaming(client: Client, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const who = await call(client, "masc_who", {});
    if (who.sessions.filter((s: { streaming: boolean }) => s.streaming).length >= count) return;
    await sleep(50);
  }
  throw new Error(`only some of ${count} GET streams opened in time`);
}

/**
 * Broadcast fan-out: one sender, `agents` receivers holding their GET streams open. Each sample is
 * the time from starting masc_broadcast to the notification arriving on one receiver's stream.
 */
export async function benchFanout(baseUrl: string, agents = 20, messages = 30): Promise<FanoutResult> {
  const url = `${baseUrl}/r/bench-fanout-${Date.now()}/mcp`;
  const sentAt = new Map<number, number>();
  const arrivals = new Map<number, number[]>();
  const waiters = new Map<number, () => void>();
  const receivers: Client[] = [];
  for (let i = 0; i < agents; i++) {
    const client = await connect(url, `recv-${i}`);
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const event = n.params.data as { kind?: string; body?: string };
      const m = event.kind === "broadcast" ? /^bench:(\d+)$/.exec(event.body ?? "") : null;
      if (!m) return;
      const id = Number(m[1]);
      const list = arrivals.get(id) ?? [];
      list.push(performance.now() - (sentAt.get(id) ?? 0));
      arrivals.set(id, list);
      if (list.length >= agents) waiters.get(id)?.();
    });
    await call(client, "masc_join", { agent_name: `recv-${i}` });
    receivers.push(client);
  }
  const sender = await connect(url, "sender");
  await call(sender, "masc_join", { agent_name: "sender" });
  await untilStreaming(sender, agents);
  let lost = 0;
  try {
    for (let id = 0; id < messages; id++) {
      const all = new Promise<void>((r) => waiters.set(id, r));
      sentAt.set(id, performance.now());
      await call(sender, "masc_broadcast", { agent_name: "sender", message: `bench:${id}` });
      await Promise.race([all, sleep(5000)]);
      lost += agents - (arrivals.get(id)?.length ?? 0);
    }
  } finally {
    await Promise.all([sender, ...receivers].map((c) => c.close().catch(() => undefined)));
  }
  return { ...summary([...arrivals.values()].flat()), agents, messages, lost };
}

/** Lock + unlock pairs on distinct files from `concurrency` agents at once; latency per pair. */
export async function benchLocks(baseUrl: string, n = 200, concurrency = 4): Promise<LockResult> {
  const url = `${baseUrl}/r/bench-locks-${Date.now()}/mcp`;
  const clients = await Promise.all(Array.from({ length: concurrency }, (_, i) => connect(url, `locker-${i}`)));
  await Promise.all(clients.map((c, i) => call(c, "masc_join", { agent_name: `locker-${i}` })));
  const samples: number[] = [];
  const per = Math.ceil(n / concurrency);
  const started = performance.now();
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        for (let k = 0; k < per; k++) {
          const file = `bench/w${i}/f${k % 16}.ts`;
          const t0 = performance.now();
          await call(client, "masc_lock", { agent_name: `locker-${i}`, file });
          await call(client, "masc_unlock", { agent_name: `locker-${i}`, file });
          samples.push(performance.now() - t0);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99, samples: pairs } = summary(samples);
  return { ops_per_s: Math.round((pairs / seconds) * 10) / 10, p50, p99, pairs, concurrency };
}
