/**
 * One tool at a time with `agents` concurrent official-SDK clients (GET streams open), next to the
 * read echo and the write echo at the same concurrency: latency, calls/s and room CPU per call.
 */
import { type Measured, measureBesideBoth, settled, withWarmup } from "../stats.ts";
import { type Agent, type Bench, closeAll, joinAgents, ok } from "./common.ts";

export interface OpRow {
  name: string;
  agents: number;
  m: Measured;
  echo: Measured;
  /** The write echo: one row inserted and committed (decision 0043). */
  write: Measured;
}

type Op = (client: Agent, w: number, i: number) => Promise<unknown>;

export async function benchOps(b: Bench, agents: number, perWorker: number, only?: ReadonlySet<string>): Promise<OpRow[]> {
  const room = `ops-${agents}-${Date.now()}`;
  const clients = await joinAgents(b.url, room, agents);
  const name = (w: number) => `agent-${w}`;
  const mine: string[][] = clients.map(() => []);
  const ops: Array<[string, Op, (() => Promise<void>)?]> = [
    [
      "masc_add_task",
      async (c, w, i) => {
        const r = await ok(c, "masc_add_task", { title: `bench ${w}-${i}`, priority: (i % 5) + 1 });
        mine[w]?.push(r.task_id);
      },
    ],
    ["masc_claim", (c, w, i) => ok(c, "masc_claim", { agent_name: name(w), task_id: mine[w]?.[i] })],
    ["masc_done", (c, w, i) => ok(c, "masc_done", { agent_name: name(w), task_id: mine[w]?.[i] })],
    [
      "masc_claim_next",
      (c, w) => ok(c, "masc_claim_next", { agent_name: name(w) }),
      async () => {
        // Unmeasured: a board with a todo task for every claim_next call to come.
        const tasks = Array.from({ length: withWarmup(perWorker) }, (_, i) => ({ title: `next ${i}`, priority: (i % 5) + 1 }));
        // A batch holds at most 100 tasks.
        for (let from = 0; from < tasks.length; from += 100) {
          await Promise.all(clients.map((c) => ok(c, "masc_batch_add_tasks", { tasks: tasks.slice(from, from + 100) })));
        }
      },
    ],
    ["masc_status", (c) => ok(c, "masc_status")],
    ["masc_tasks", (c) => ok(c, "masc_tasks", { limit: 10 })],
    ["masc_broadcast", (c, w, i) => ok(c, "masc_broadcast", { agent_name: name(w), message: `bench ${w}-${i}` })],
    ["masc_lock", (c, w, i) => ok(c, "masc_lock", { agent_name: name(w), file: `bench/w${w}/f${i}.ts` })],
    ["masc_unlock", (c, w, i) => ok(c, "masc_unlock", { agent_name: name(w), file: `bench/w${w}/f${i}.ts` })],
  ];
  const rows: OpRow[] = [];
  try {
    for (let i = 0; i < 20; i++) await ok(clients[0] as Agent, "masc_status");
    // add/claim/done and lock/unlock build on each other, so a filter keeps their predecessors.
    const needed = (n: string) =>
      !only ||
      only.has(n) ||
      (n === "masc_add_task" && (only.has("masc_claim") || only.has("masc_done"))) ||
      (n === "masc_claim" && only.has("masc_done")) ||
      (n === "masc_lock" && only.has("masc_unlock"));
    for (const [op, run, prepare] of ops) {
      if (!needed(op)) continue;
      await prepare?.();
      // Let what the previous row left running (publications, the alarm, garbage) finish first.
      await settled(b.meters.room);
      // Both echoes in rounds alternating with the row's calls: on a shared machine the load moves within a run.
      const { m, echo, write } = await measureBesideBoth(b.meters, agents, perWorker, b.echo, b.echoWrite, async (w, i) => {
        await run(clients[w] as Agent, w, i);
      });
      if (!only || only.has(op)) rows.push({ name: op, agents, m, echo, write });
      console.error(
        `  ${agents} agents ${op}: p50 ${m.p50.toFixed(1)} ms, ${m.throughput.toFixed(0)}/s, cpu ${m.cpu.toFixed(2)} ms (echo ${echo.cpu.toFixed(2)}, write echo ${write.cpu.toFixed(2)})`,
      );
    }
  } finally {
    await closeAll(clients);
  }
  return rows;
}
