/**
 * `./run soak [--minutes N] [--agents N] [--kill-every S]`: N agents of mixed load, half on each
 * protocol era with their push streams open, against a real `wrangler dev` on its own state
 * directory; every S seconds the server's whole process group gets kill -9 and starts again on the
 * same state. After every kill it checks the disk against what was acknowledged and, once the
 * server is back, that every listener got every event meant for it exactly once. One summary line;
 * exit 1 on any finding (listed above it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWrangler } from "../test/helpers/wrangler.ts";
import { legacyAgent, modernAgent, type SoakAgent } from "./agents.ts";
import { checkDisk, missingAndDoubled } from "./checks.ts";
import { readDisk } from "./disk.ts";
import { Ledger } from "./ledger.ts";
import { type LoadStats, runAgent } from "./load.ts";
import { parseSoakArgs, type SoakOptions, USAGE } from "./options.ts";

const ROOM = "soak";
/** After a restart, how long listeners get to catch up before a missing event is a finding. */
const CATCH_UP_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let opts: SoakOptions;
try {
  const parsed = parseSoakArgs(process.argv.slice(2));
  if (parsed === "help") {
    console.log(USAGE);
    process.exit(0);
  }
  opts = parsed;
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

const started = Date.now();
const persistDir = mkdtempSync(join(tmpdir(), "masc-soak-"));
// wrangler dev's local trace collector would add a span per SQL statement to every call (decision 0030).
process.env.X_LOCAL_OBSERVABILITY = "false";
const server = await startWrangler({ persistDir, ownGroup: true, timeoutMs: 120_000 });
const onSignal = () => {
  void server.crash().finally(() => process.exit(130));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

const url = `${server.url}/r/${ROOM}/mcp`;
const ledger = new Ledger();
const stats: LoadStats = { calls: 0, unanswered: 0, unexpected: [] };
const findings: string[] = [];
const agents: SoakAgent[] = [];
let kills = 0;
let longestDownS = 0;
let lastSeq = 0;
const report = { found: 0, acked: 0 };
/** `agent:seq` already reported as delivered twice, so a later check does not report it again. */
const reportedDoubles = new Set<string>();

/** Each finding is printed when it is found, so a long run can be looked into while it goes on. */
function note(...found: string[]): void {
  for (const f of found) console.error(`finding: ${f}`);
  findings.push(...found);
}

/** What the load found since the last kill: a second owner acknowledged, an unexpected tool error. */
let drained = { ledger: 0, unexpected: 0 };
function drainLoad(): string[] {
  const out = [
    ...ledger.findings.slice(drained.ledger),
    ...stats.unexpected.slice(drained.unexpected).map((u) => `unexpected tool error: ${u}`),
  ];
  drained = { ledger: ledger.findings.length, unexpected: stats.unexpected.length };
  return out;
}

/** Waits until the room sees every 2025 agent's GET stream open. */
async function untilStreaming(names: readonly string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let missing = [...names];
  while (Date.now() < deadline) {
    try {
      const who = await (agents[0] as SoakAgent).call("masc_who");
      const on = new Set((who.json?.agents ?? []).filter((a: { streaming: boolean }) => a.streaming).map((a: { name: string }) => a.name));
      missing = names.filter((n) => !on.has(n));
      if (missing.length === 0) return [];
    } catch {
      // not back yet
    }
    await sleep(500);
  }
  return missing;
}

/** kill -9, the disk checked while the server is down, a start on the same state, the listeners checked. */
async function killAndCheck(): Promise<void> {
  const killedAt = Date.now();
  await server.crash();
  kills++;
  const disk = readDisk(persistDir, ROOM);
  const rep = checkDisk(ledger, disk, lastSeq, killedAt);
  note(...rep.findings.map((f) => `kill ${kills}: ${f}`), ...drainLoad());
  report.found = rep.found;
  report.acked = rep.acked;
  lastSeq = rep.lastSeq;
  await server.start();
  const downS = (Date.now() - killedAt) / 1000;
  longestDownS = Math.max(longestDownS, downS);
  const deadline = Date.now() + CATCH_UP_MS;
  let gaps: string[] = [];
  let doubles: string[] = [];
  do {
    if (gaps.length) await sleep(500);
    gaps = [];
    doubles = [];
    for (const a of agents) {
      const { missing, doubled } = missingAndDoubled(a.got, disk.events, a.hears, a.from, rep.lastSeq);
      const fresh = doubled.filter((seq) => !reportedDoubles.has(`${a.name}:${seq}`));
      if (fresh.length) doubles.push(`kill ${kills}: ${a.name} (${a.era}) got seq ${fresh.slice(0, 10).join(", ")} more than once`);
      for (const seq of fresh) reportedDoubles.add(`${a.name}:${seq}`);
      if (missing.length)
        gaps.push(
          `kill ${kills}: ${a.name} (${a.era}) never got seq ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ` (${missing.length} in all)` : ""}`,
        );
    }
    note(...doubles);
  } while (gaps.length > 0 && Date.now() < deadline);
  note(...gaps);
  console.error(
    `soak: kill ${kills} at ${((Date.now() - started) / 60_000).toFixed(1)} min: back in ${downS.toFixed(1)} s, seq ${rep.lastSeq}, ${rep.found}/${rep.acked} acknowledged records on disk, ${findings.length} findings so far`,
  );
}

let exitCode = 1;
try {
  // Even agents on the 2025 era, odd ones on 2026; partners (0-1, 2-3, …) span the eras.
  for (let i = 0; i < opts.agents; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, opts.agents - i) }, async (_, k) => {
        const name = `soak-${i + k}`;
        const agent = (i + k) % 2 === 0 ? await legacyAgent(url, name) : await modernAgent(url, name);
        const joined = await agent.call("masc_join", { agent_name: name });
        if (joined.isError) throw new Error(`masc_join ${name}: ${joined.text}`);
        return agent;
      }),
    );
    agents.push(...batch);
  }
  const legacy = agents.filter((a) => a.era === "2025").map((a) => a.name);
  const notStreaming = await untilStreaming(legacy, 60_000);
  if (notStreaming.length) throw new Error(`GET streams never opened: ${notStreaming.join(", ")}`);
  const partnerOf = (i: number) => (i % 2 === 0 ? i + 1 : i - 1);
  for (let i = 0; i < agents.length; i += 2) {
    const partner = agents[i + 1];
    if (!partner) break;
    const opened = await (agents[i] as SoakAgent).call("masc_portal_open", { agent_name: `soak-${i}`, target_agent: partner.name });
    if (opened.isError) throw new Error(`masc_portal_open soak-${i}: ${opened.text}`);
  }
  for (const a of agents) {
    const body = `@all hello from ${a.name}`;
    const hello = await a.call("masc_broadcast", { agent_name: a.name, message: body });
    if (hello.isError) throw new Error(`hello from ${a.name}: ${hello.text}`);
    ledger.message(hello.json.seq, { kind: "broadcast", actor: a.name, body });
    a.heardFrom(hello.json.seq);
  }

  // The clock starts with the load: joining fifty agents is not soak time.
  const loadStarted = Date.now();
  const end = loadStarted + opts.minutes * 60_000;
  let running = true;
  const files = Math.max(2, Math.floor(agents.length / 3));
  const loops = agents.map((a, i) => {
    // The odd one out (an odd count) has no portal: it mentions agent 0 and skips the portal step.
    const partner = agents[partnerOf(i)] ?? (agents[0] as SoakAgent);
    return runAgent(a, i, files, partner.name, ledger, stats, () => running, agents[partnerOf(i)] !== undefined);
  });
  for (let next = loadStarted + opts.killEvery * 1000; next < end; next += opts.killEvery * 1000) {
    await sleep(Math.max(0, next - Date.now()));
    await killAndCheck();
  }
  await sleep(Math.max(0, end - Date.now()));
  running = false;
  await Promise.all(loops);
  // A last kill with the load stopped: everything acknowledged until the end is checked too.
  await killAndCheck();
  note(...drainLoad());
  exitCode = findings.length === 0 ? 0 : 1;
} catch (err) {
  note(`soak stopped: ${(err as Error).message}`);
} finally {
  await Promise.all(agents.map((a) => a.close().catch(() => undefined)));
  await server.stop();
}

const pushes = agents.reduce((sum, a) => sum + [...a.got.values()].reduce((s, n) => s + n, 0), 0);
const legacyCount = agents.filter((a) => a.era === "2025").length;
if (findings.length) console.error(`state kept for a look: ${persistDir}`);
else rmSync(persistDir, { recursive: true, force: true });
console.log(
  `soak ${exitCode === 0 ? "ok" : "FAILED"}: ${((Date.now() - started) / 60_000).toFixed(1)} min, ${agents.length} agents (${legacyCount} on 2025-11-25, ${agents.length - legacyCount} on 2026-07-28), ${kills} kills (down ≤ ${longestDownS.toFixed(0)} s), ${stats.calls} calls (${stats.unanswered} unanswered), ${ledger.acked} writes acknowledged, ${report.found}/${report.acked} acknowledged records found after the last kill, ${pushes} events delivered to listeners, ${findings.length} findings`,
);
process.exit(exitCode);
