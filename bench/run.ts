/**
 * `npm run bench`: starts wrangler dev, then measures masc tools with N concurrent official-SDK MCP
 * clients next to a bare Worker -> Durable Object echo measured in the same run, and writes
 * bench/results.md. Compare ratios, not absolute numbers: the dev proxy dominates on a small machine.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { mcpClient, tool } from "../test/helpers/client.ts";
import { startWrangler } from "../test/helpers/wrangler.ts";
import { drive, fmt, type Summary } from "./stats.ts";

const ITER = Number(process.env.BENCH_ITER ?? 200);
const CONCURRENCY = [1, 20];
const WARMUP = 30;

interface Row {
  name: string;
  agents: number;
  s: Summary;
  echo: Summary;
}

const server = await startWrangler({ vars: { MASC_BENCH: "1" } });
const rows: Row[] = [];
const extra: string[] = [];
try {
  const echoBody = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "masc_status", arguments: {} } });
  const echo = async () => {
    const res = await fetch(`${server.url}/_bench/echo`, {
      method: "POST",
      body: echoBody,
      headers: { "content-type": "application/json" },
    });
    await res.text();
  };
  for (let i = 0; i < WARMUP; i++) await echo();

  for (const agents of CONCURRENCY) {
    const room = `bench-${agents}`;
    const clients = await Promise.all(Array.from({ length: agents }, (_, i) => mcpClient(`${server.url}/r/${room}/mcp`, `bench-${i}`)));
    await Promise.all(clients.map(({ client }, i) => tool(client, "masc_join", { agent_name: `agent-${i}` })));
    for (let i = 0; i < WARMUP; i++) await tool(clients[0]!.client, "masc_status");

    const perWorker = Math.max(10, Math.floor(ITER / agents));
    const echoSummary = await drive(agents, perWorker, echo);
    const ops: Array<[string, (w: number, i: number) => Promise<unknown>]> = [
      ["masc_status", (w) => tool(clients[w]!.client, "masc_status")],
      ["masc_add_task", (w, i) => tool(clients[w]!.client, "masc_add_task", { title: `bench ${w}-${i}`, priority: (i % 5) + 1 })],
      ["masc_claim_next", (w) => tool(clients[w]!.client, "masc_claim_next", { agent_name: `agent-${w}` })],
    ];
    for (const [name, op] of ops) {
      const s = await drive(agents, perWorker, async (w, i) => {
        const r = (await op(w, i)) as { isError: boolean; text: string };
        if (r.isError) throw new Error(`${name} failed: ${r.text}`);
      });
      rows.push({ name, agents, s, echo: echoSummary });
    }
    await Promise.all(clients.map(({ client }) => client.close()));
  }

  // Scenarios of the real-time layer, when present.
  try {
    const realtime = "./realtime.ts";
    const rt = (await import(realtime)) as {
      benchFanout?: (url: string, agents?: number, messages?: number) => Promise<{ p50: number; p99: number; samples: number }>;
      benchLocks?: (url: string, n?: number) => Promise<{ ops_per_s: number; p50: number; p99: number }>;
    };
    if (rt.benchFanout) {
      const f = await rt.benchFanout(server.url, 20, 50);
      extra.push(`| broadcast fan-out to 20 listeners (send → delivery) | ${fmt(f.p50)} | ${fmt(f.p99)} | ${f.samples} deliveries |`);
    }
    if (rt.benchLocks) {
      const l = await rt.benchLocks(server.url, 200);
      extra.push(`| lock + unlock pair | ${fmt(l.p50)} | ${fmt(l.p99)} | ${l.ops_per_s.toFixed(0)} pairs/s |`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw err;
  }
} finally {
  await server.stop();
}

const lines = [
  "# Benchmark results",
  "",
  `Run ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown cpu"}), Node ${process.version}, \`wrangler dev\` on 127.0.0.1.`,
  "Each tool call is a full MCP `tools/call` over Streamable HTTP from the official SDK client: Worker → room Durable Object → SQLite.",
  "The echo is a bare POST through the same Worker to a Durable Object that returns its body, measured in the same run at the same concurrency.",
  "",
  "| operation | agents | calls | p50 ms | p99 ms | calls/s | echo p50 ms | echo p99 ms | echo calls/s | p50 ratio |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.agents} | ${r.s.n} | ${fmt(r.s.p50)} | ${fmt(r.s.p99)} | ${r.s.throughput.toFixed(0)} | ${fmt(r.echo.p50)} | ${fmt(r.echo.p99)} | ${r.echo.throughput.toFixed(0)} | ${(r.s.p50 / r.echo.p50).toFixed(2)}× |`,
  ),
];
if (extra.length) lines.push("", "| real-time | p50 ms | p99 ms | volume |", "|---|---:|---:|---|", ...extra);
lines.push("", "The original MASC reports 33 ms average for `masc_status` (5 curl calls).", "");
writeFileSync(new URL("./results.md", import.meta.url), lines.join("\n"));
console.log(lines.join("\n"));
