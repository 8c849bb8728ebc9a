/**
 * The same calls in an empty room and in one grown to 10,000 tasks, 100,000 events and 200 agents
 * (seeded through the MASC_BENCH-only route, not tool calls): CPU per call and p50 should match.
 */
import { type Measured, measure } from "../stats.ts";
import { type Agent, type Bench, closeAll, joinAgents, ok } from "./common.ts";

export const GROWN = { tasks: 10_000, events: 100_000, agents: 200 };

export interface GrownRow {
  name: string;
  empty: Measured;
  grown: Measured;
}

export interface GrownResult {
  rows: GrownRow[];
  seedMs: number;
  rssBefore: number;
  rssAfter: number;
}

type Op = (c: Agent, w: number, i: number) => Promise<unknown>;

async function seed(b: Bench, room: string, size: typeof GROWN): Promise<void> {
  const res = await fetch(`${b.url}/r/${room}/_bench/seed`, { method: "POST", body: JSON.stringify(size) });
  if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  await res.text();
}

const OPS: Array<[string, Op]> = [
  ["masc_status", (c) => ok(c, "masc_status")],
  ["masc_tasks", (c) => ok(c, "masc_tasks")],
  ["masc_add_task", (c, w, i) => ok(c, "masc_add_task", { title: `grown ${w}-${i}`, priority: (i % 5) + 1 })],
  ["masc_claim_next", (c, w) => ok(c, "masc_claim_next", { agent_name: `agent-${w}` })],
  ["masc_broadcast", (c, w, i) => ok(c, "masc_broadcast", { agent_name: `agent-${w}`, message: `grown ${w}-${i}` })],
];

async function run(b: Bench, room: string, agents: number, perWorker: number): Promise<Map<string, Measured>> {
  const clients = await joinAgents(b.url, room, agents);
  const out = new Map<string, Measured>();
  try {
    for (let i = 0; i < 10; i++) await ok(clients[0] as Agent, "masc_status");
    for (const [name, op] of OPS)
      out.set(name, await measure(b.cpu, agents, perWorker, (w, i) => op(clients[w] as Agent, w, i).then(() => undefined)));
  } finally {
    await closeAll(clients);
  }
  return out;
}

export async function benchGrown(b: Bench, agents = 10, perWorker = 20): Promise<GrownResult> {
  const stamp = Date.now();
  const rssBefore = b.rss();
  const t0 = performance.now();
  await seed(b, `grown-${stamp}`, GROWN);
  const seedMs = performance.now() - t0;
  // The small room holds one page of tasks, so "one page" means the same reply in both rooms.
  await seed(b, `empty-${stamp}`, { tasks: 60, events: 0, agents: 0 });
  console.error(`  seeded ${JSON.stringify(GROWN)} in ${seedMs.toFixed(0)} ms`);
  // Alternating rooms would mix their caches; each runs its whole set in turn, the empty one first.
  const empty = await run(b, `empty-${stamp}`, agents, perWorker);
  const grown = await run(b, `grown-${stamp}`, agents, perWorker);
  const rows = OPS.map(([name]) => ({ name, empty: empty.get(name) as Measured, grown: grown.get(name) as Measured }));
  for (const r of rows)
    console.error(
      `  ${r.name}: cpu ${r.empty.cpu.toFixed(2)} -> ${r.grown.cpu.toFixed(2)} ms, p50 ${r.empty.p50.toFixed(1)} -> ${r.grown.p50.toFixed(1)}`,
    );
  return { rows, seedMs, rssBefore, rssAfter: b.rss() };
}
