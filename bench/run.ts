/**
 * `./run bench [--only=ops,mixed,grown,realtime,channel,startup] [--agents=1,20] [--ops=masc_status,…] [--iter=2400]
 * [--profile=file.cpuprofile] [--out=file.md]`: starts wrangler dev with MASC_BENCH=1 and measures
 * masc tools with concurrent official-SDK MCP clients next to a bare Worker -> Durable Object echo
 * and a write echo (one row committed), measured in the same run: latency, calls/s and the room
 * process's CPU per call, each as a ratio to the echoes; with `startup`, the Worker's bundle and
 * startup profile and a new room's first call. A full run is written to bench/runs/ (bench/results.md is the median over several,
 * made by bench/spread.ts); a partial one prints only. Compare ratios, not
 * absolute numbers: the dev proxy dominates on a small, shared machine.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { startWrangler } from "../test/helpers/wrangler.ts";
import { type BundleNumbers, measureBundle } from "./bundle.ts";
import { cpuMs, proxyProcess, roomProcess, rssMiB } from "./cpu.ts";
import { type Profiler, saveProfile, startProfile, summarizeProfile } from "./profile.ts";
import { type Bench, clientMode } from "./scenarios/common.ts";
import { benchFirstCall, type FirstCall } from "./scenarios/first-call.ts";
import { benchGrown, GROWN, type GrownResult } from "./scenarios/grown.ts";
import { benchMixed, type MixedResult } from "./scenarios/mixed.ts";
import { benchOps, type OpRow } from "./scenarios/ops.ts";
import { fmt, median } from "./stats.ts";
import { judgeGrown, judgeLatency, judgeMixed, judgeOp, READS, ratio } from "./targets.ts";

const { values: flags } = parseArgs({
  options: {
    only: { type: "string", default: "ops,mixed,grown,realtime,channel,startup" },
    agents: { type: "string", default: "1,20" },
    ops: { type: "string" },
    iter: { type: "string", default: "2400" },
    profile: { type: "string" },
    out: { type: "string" },
    streams: { type: "string", default: "on" },
    eras: { type: "string", default: "2025,2026" },
  },
});
const scenarios = new Set(flags.only.split(","));
const full = ["ops", "mixed", "grown", "realtime", "channel", "startup"].every((s) => scenarios.has(s)) && !flags.ops;
const only = flags.ops ? new Set(flags.ops.split(",")) : undefined;
const ITER = Number(flags.iter);
clientMode.streams = flags.streams !== "off";
const eras = flags.eras.split(",") as Array<"2025" | "2026">;

// wrangler dev streams every invocation's trace to a local collector inside the measured workerd
// process (one span per SQL statement and subrequest); the edge runs no such thing in the Worker,
// so it would be counted as room CPU here only (decision 0030).
process.env.X_LOCAL_OBSERVABILITY = "false";
// Built and profiled before the dev server starts, so nothing else of the run shares the cores.
const startup: BundleNumbers | undefined = scenarios.has("startup") ? measureBundle(3) : undefined;
const server = await startWrangler({ vars: { MASC_BENCH: "1" } });
const pid = roomProcess(server.pid() as number, server.port);
const proxyPid = proxyProcess(server.pid() as number, server.port);
const echoBody = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "masc_status", arguments: {} } });
const bench: Bench = {
  url: server.url,
  meters: { room: () => cpuMs(pid), proxy: () => cpuMs(proxyPid) },
  rss: () => rssMiB(pid),
  echo: () => post("/_bench/echo"),
  echoWrite: () => post("/_bench/echo-write"),
};
/** One round trip to a bench echo; anything but 200 is a failed call. */
async function post(path: string): Promise<void> {
  const res = await fetch(`${server.url}${path}`, { method: "POST", body: echoBody, headers: { "content-type": "application/json" } });
  await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
}

const ops: Array<OpRow & { era: string }> = [];
let mixed: MixedResult | undefined;
let firstCalls: FirstCall[] = [];
let grown: GrownResult | undefined;
const realtime: string[] = [];
let channel: import("./scenarios/channel.ts").ChannelResult | undefined;
let profiler: Profiler | undefined;
let profileText = "";
try {
  for (let i = 0; i < 50; i++) await Promise.all([bench.echo(), bench.echoWrite()]);
  // Before any room exists: the first room's call is also the room code's first run in the isolate.
  if (scenarios.has("startup")) firstCalls = await benchFirstCall(bench);
  if (flags.profile) profiler = await startProfile(server.inspectorPort);
  if (scenarios.has("ops")) {
    for (const era of eras) {
      clientMode.era = era;
      for (const agents of flags.agents.split(",").map(Number)) {
        // One agent runs a sixth as many calls: each waits for the one before it, so a row takes
        // longest per call there; enough that the 10 ms CPU ticks of a round stay small beside it.
        const per = Math.max(10, Math.floor((agents === 1 ? ITER / 6 : ITER) / agents));
        ops.push(...(await benchOps(bench, agents, per, only)).map((r) => ({ ...r, era })));
      }
    }
    clientMode.era = "2025";
  }
  if (scenarios.has("mixed")) mixed = await benchMixed(bench, 50, 9);
  if (scenarios.has("grown")) grown = await benchGrown(bench);
  if (scenarios.has("realtime")) {
    const rt = await import("./realtime.ts");
    const f = await rt.benchFanout(server.url, 20, 50);
    realtime.push(
      `| broadcast fan-out to 20 listeners (send → delivery) | ${fmt(f.p50)} | ${fmt(f.p99)} | ${f.samples} deliveries, ${f.lost} lost |`,
    );
    const l = await rt.benchLocks(server.url, 200);
    realtime.push(`| lock + unlock pair, 4 agents | ${fmt(l.p50)} | ${fmt(l.p99)} | ${l.ops_per_s.toFixed(0)} pairs/s |`);
  }
  if (scenarios.has("channel")) channel = await (await import("./scenarios/channel.ts")).benchChannel(server.url, 60);
  if (profiler) {
    const p = await profiler.stop();
    saveProfile(p, flags.profile as string);
    profileText = summarizeProfile(p);
  }
} finally {
  await server.stop();
}

/** Every target of issues 13 and 27 a run missed, named, so a run is judged by one line. */
const misses: string[] = [];
const judged = (v: { cell: string; misses: string[] }) => {
  misses.push(...v.misses);
  return v.cell;
};

const target = (r: OpRow & { era: string }) => {
  const v = judgeOp(`${r.name} ${r.era} ${r.agents}`, r.name, r.era, r.agents, {
    cpu: r.m.cpu / r.echo.cpu,
    tput: r.m.throughput / r.echo.throughput,
    writeCpu: r.m.cpu / r.write.cpu,
    errors: r.m.errors,
    echoErrors: r.echo.errors + r.write.errors,
  });
  return v ? judged(v) : "";
};

/**
 * A 2025-era write pushes its event to every agent's GET stream, and the twenty clients take it in
 * on the cores the server runs on: their CPU per write above their CPU per `masc_status` (which
 * pushes nothing), per listener, is what one pushed notification costs them.
 */
function clientPushCost(rows: ReadonlyArray<OpRow & { era: string }>): string | undefined {
  const at20 = rows.filter((r) => r.era === "2025" && r.agents === 20);
  const status = at20.find((r) => r.name === "masc_status");
  const writes = at20.filter((r) => !READS.has(r.name)).map((r) => r.m.clientCpu);
  if (!status || writes.length === 0 || !clientMode.streams) return undefined;
  const extra = median(writes) - status.m.clientCpu;
  return `Pushes on the clients' side: the 2025 era's 20 clients, on the same ${cpus().length} cores as the server, spent ${fmt(extra)} ms more of their CPU per write (median of the write rows) than per \`masc_status\`, about ${((extra * 1000) / 20).toFixed(0)} µs for each of the 20 notifications a write pushes; the echo pays none of it (\`node bench/sdk-push.ts\` measures the official client alone, decision 0034).`;
}

/**
 * Every call here costs CPU in three processes that share the machine's cores: the clients, the dev
 * proxy and the room. The calls/s ratio follows the ratio of their sum, not the room's alone.
 */
function machineShare(rows: ReadonlyArray<OpRow & { era: string }>): string[] {
  const at20 = rows.filter((r) => r.agents === 20);
  if (at20.length === 0) return [];
  const all = (m: OpRow["m"]) => m.clientCpu + m.proxyCpu + m.cpu;
  const parts = (m: OpRow["m"]) => `${fmt(m.clientCpu)} | ${fmt(m.proxyCpu)} | ${fmt(m.cpu)} | ${fmt(all(m))}`;
  return [
    "",
    `Where a call's CPU went at 20 agents, ms per call: the clients (this process), wrangler's dev proxy (a workerd in front of the Worker, absent on the edge) and the room's workerd all run on these ${cpus().length} cores, so calls/s follows the sum of the three:`,
    "",
    "| operation | era | clients | dev proxy | room | sum | echo: clients | dev proxy | room | sum | echo's sum ÷ op's | calls/s ratio |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...at20.map(
      (r) =>
        `| ${r.name} | ${r.era} | ${parts(r.m)} | ${parts(r.echo)} | ${ratio(all(r.echo), all(r.m), "floor")} | ${ratio(r.m.throughput, r.echo.throughput, "floor")} |`,
    ),
  ];
}

/**
 * The Worker's size and startup and a new room's first call; bench/headline.ts reads this table by
 * its first column, so its labels stay as they are.
 */
function startupTable(st: BundleNumbers | undefined, first: readonly FirstCall[]): string[] {
  const rows = st
    ? [
        `| bundle KiB (\`wrangler deploy --dry-run\`) | ${st.kib.toFixed(1)} |`,
        `| bundle gzip KiB | ${st.gzipKib.toFixed(1)} |`,
        `| startup active ms (\`wrangler check startup\`, median of ${st.startupRuns.length}) | ${st.startupMs.toFixed(1)} |`,
        `| bundle import CPU ms (median of ${st.evalCpuRuns.length} fresh processes) | ${st.evalCpuMs.toFixed(1)} |`,
      ]
    : [];
  for (const f of first) {
    rows.push(
      `| first call ${f.era} ms (median of ${f.rooms} new rooms) | ${fmt(f.p50)} |`,
      `| first call ${f.era} ms (slowest: the room code's first run) | ${fmt(f.max)} |`,
      `| first call ${f.era} room CPU ms | ${fmt(f.cpu)} |`,
    );
  }
  return [
    "The Worker's startup and a new room's first call: a client that never connected, in a room never used, to its first answered `tools/call` (`masc_status`); the room's CPU includes its object's construction and first migration:",
    "",
    "| startup | value |",
    "|---|---:|",
    ...rows,
  ];
}

const lines = [
  "# Benchmark results",
  "",
  `Run ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? "unknown cpu"}), Node ${process.version}, \`wrangler dev\` on 127.0.0.1.`,
  "Each tool call is a full MCP `tools/call` over Streamable HTTP: Worker → room Durable Object → SQLite. Era 2025: the official SDK v1 client with a session, every client holding its GET stream open (room events pushed to all of them). Era 2026: the v2 client pinned to 2026-07-28, stateless, no stream.",
  "The echo is a bare POST through the same Worker to a Durable Object that returns its body; the write echo is the same POST to a Durable Object that inserts the body as one row, commits and returns it (the floor of a write). Both are measured in the same run at the same concurrency, in rounds alternating with the operation's. Reads are judged against the echo, writes' CPU against the write echo; the 2025 era's write calls/s is reported and not judged (decision 0043).",
  "CPU is the user + system time of the workerd process that runs the Worker and its Durable Objects, over all calls of a row, per call; wrangler's local trace collector, which would run in that process, is off (`X_LOCAL_OBSERVABILITY=false`).",
];
const intro = lines.length;
if (ops.length) {
  lines.push(
    "",
    "| operation | era | agents | calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo calls/s | echo CPU | write echo errors | write echo p50 | write echo calls/s | write echo CPU | CPU ratio | write CPU ratio | calls/s ratio | write calls/s ratio | p50 ratio | target CPU / calls/s / errors | client CPU ms/call (echo) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ...ops.map(
      (r) =>
        `| ${r.name} | ${r.era} | ${r.agents} | ${r.m.n} | ${r.m.errors} | ${fmt(r.m.p50)} | ${fmt(r.m.p99)} | ${r.m.throughput.toFixed(1)} | ${fmt(r.m.cpu)} | ${r.echo.errors} | ${fmt(r.echo.p50)} | ${fmt(r.echo.p99)} | ${r.echo.throughput.toFixed(1)} | ${fmt(r.echo.cpu)} | ${r.write.errors} | ${fmt(r.write.p50)} | ${r.write.throughput.toFixed(1)} | ${fmt(r.write.cpu)} | ${ratio(r.m.cpu, r.echo.cpu)} | ${ratio(r.m.cpu, r.write.cpu)} | ${ratio(r.m.throughput, r.echo.throughput, "floor")} | ${ratio(r.m.throughput, r.write.throughput, "floor")} | ${ratio(r.m.p50, r.echo.p50)} | ${target(r)} | ${fmt(r.m.clientCpu)} (${fmt(r.echo.clientCpu)}) |`,
    ),
  );
  lines.push(...machineShare(ops));
  const pushes = clientPushCost(ops);
  if (pushes) lines.push("", pushes);
}
if (mixed) {
  const { m, echo } = mixed;
  lines.push(
    "",
    `Mixed load, ${mixed.agents} agents (status, add_task, claim_next, done, broadcast, lock, unlock):`,
    "",
    "| calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo CPU | p99 ratio | target p99 ≤ 3×, 0 errors |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    `| ${m.n} | ${m.errors} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${m.throughput.toFixed(1)} | ${fmt(m.cpu)} | ${echo.errors} | ${fmt(echo.p50)} | ${fmt(echo.p99)} | ${fmt(echo.cpu)} | ${ratio(m.p99, echo.p99)} | ${judged(judgeMixed(m.p99 / echo.p99, m.errors, echo.errors))} |`,
  );
}
if (grown) {
  lines.push(
    "",
    `Grown room (${GROWN.tasks} tasks, ${GROWN.events} events, ${GROWN.agents} agents; seeded in ${(grown.seedMs / 1000).toFixed(1)} s) against a small room (60 tasks, so a page is full in both), 10 agents, the two rooms in alternating rounds:`,
    "",
    "| operation | errors (empty / grown) | empty CPU ms | grown CPU ms | CPU ratio | empty p50 | grown p50 | p50 ratio | target ≤ 1.2× CPU / p50 / errors |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...grown.rows.map(
      (r) =>
        `| ${r.name} | ${r.empty.errors} / ${r.grown.errors} | ${fmt(r.empty.cpu)} | ${fmt(r.grown.cpu)} | ${ratio(r.grown.cpu, r.empty.cpu)} | ${fmt(r.empty.p50)} | ${fmt(r.grown.p50)} | ${ratio(r.grown.p50, r.empty.p50)} | ${judged(judgeGrown(r.name, r.grown.cpu / r.empty.cpu, r.grown.p50 / r.empty.p50, r.empty.errors + r.grown.errors))} |`,
    ),
    "",
    `Room process memory (RSS): ${grown.rssBefore.toFixed(0)} MiB before seeding, ${grown.rssAfter.toFixed(0)} MiB after both rooms ran.`,
  );
}
if (channel) {
  const ok = judged(judgeLatency("mention → channel event", { p50: 50, p99: 200 }, channel));
  realtime.push(
    `| mention → channel event (masc-agent channel over stdio, target p50 ≤ 50, p99 ≤ 200: ${ok}) | ${fmt(channel.p50)} | ${fmt(channel.p99)} | ${channel.samples} mentions, ${channel.lost} lost |`,
  );
  const v = channel.verdict;
  const vOk = judged(judgeLatency("permission verdict", { p99: 1000 }, v));
  realtime.push(
    `| masc_approve of a relayed permission prompt → verdict at the session (target within 1 s: ${vOk}) | ${fmt(v.p50)} | ${fmt(v.p99)} | ${v.samples} prompts, ${v.lost} lost |`,
  );
}
if (startup || firstCalls.length) lines.push("", ...startupTable(startup, firstCalls));
if (realtime.length) lines.push("", "| real-time | p50 ms | p99 ms | volume |", "|---|---:|---:|---|", ...realtime);
// Drawing the tables above collected the misses; the verdict goes under the introduction.
lines.splice(
  intro,
  0,
  "",
  misses.length === 0 ? "Targets: every one met in this run." : `Targets missed in this run (${misses.length}): ${misses.join("; ")}.`,
);
if (profileText) lines.push("", "## CPU profile of this run", "", profileText);
lines.push("");
const text = lines.join("\n");
// One run is one sample of a busy machine: a full run is kept under bench/runs/, and results.md
// headlines the per-row median over several (bench/spread.ts, decision 0038).
const out = flags.out ?? (full && !flags.profile ? `bench/runs/${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.md` : undefined);
if (out) writeFileSync(out, text);
console.log(text);
if (out) console.error(`wrote ${out}; the headline: node bench/spread.ts --out=bench/results.md bench/runs/<the runs>.md`);
