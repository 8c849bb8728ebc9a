/**
 * The same calls in an empty room and in one grown to 10,000 tasks, 100,000 events and 200 agents
 * (seeded through the MASC_BENCH-only route, not tool calls): CPU per call and p50 should match.
 */
import { type Measured, measureBeside } from "../stats.ts";
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

/**
 * Each operation in both rooms in alternating rounds (small, grown, small, …), as many calls each:
 * one room after the other measured the machine's drift as much as the rooms.
 */
async function run(b: Bench, rooms: { empty: string; grown: string }, agents: number, perWorker: number): Promise<GrownRow[]> {
  const empty = await joinAgents(b.url, rooms.empty, agents);
  const grown = await joinAgents(b.url, rooms.grown, agents);
  const rows: GrownRow[] = [];
  try {
    for (let i = 0; i < 10; i++) await Promise.all([ok(empty[0] as Agent, "masc_status"), ok(grown[0] as Agent, "masc_status")]);
    for (const [name, op] of OPS) {
      const on = (clients: Agent[]) => (w: number, i: number) => op(clients[w] as Agent, w, i).then(() => undefined);
      const { m, echo } = await measureBeside(b.meters, agents, perWorker, on(empty), on(grown), 4);
      rows.push({ name, empty: echo, grown: m });
    }
  } finally {
    await closeAll([...empty, ...grown]);
  }
  return rows;
}

export async function benchGrown(b: Bench, agents = 10, perWorker = 240): Promise<GrownResult> {
  const stamp = Date.now();
  const rssBefore = b.rss();
  const t0 = performance.now();
  await seed(b, `grown-${stamp}`, GROWN);
  const seedMs = performance.now() - t0;
  // The small room holds one page of tasks, so "one page" means the same reply in both rooms.
  await seed(b, `empty-${stamp}`, { tasks: 60, events: 0, agents: 0 });
  console.error(`  seeded ${JSON.stringify(GROWN)} in ${seedMs.toFixed(0)} ms`);
  const rows = await run(b, { empty: `empty-${stamp}`, grown: `grown-${stamp}` }, agents, perWorker);
  for (const r of rows)
    console.error(
      `  ${r.name}: cpu ${r.empty.cpu.toFixed(2)} -> ${r.grown.cpu.toFixed(2)} ms, p50 ${r.empty.p50.toFixed(1)} -> ${r.grown.p50.toFixed(1)}`,
    );
  return { rows, seedMs, rssBefore, rssAfter: b.rss() };
}
