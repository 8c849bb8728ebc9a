/**
 * A busy team: `agents` clients with streams open, each looping status, add_task, claim_next, done,
 * broadcast, lock, unlock; compared with the echo's p99 at the same concurrency, in alternating rounds.
 */
import { type Measured, measureBeside } from "../stats.ts";
import { type Agent, type Bench, closeAll, joinAgents } from "./common.ts";

export interface MixedResult {
  agents: number;
  m: Measured;
  echo: Measured;
}

export async function benchMixed(b: Bench, agents = 50, rounds = 9): Promise<MixedResult> {
  const room = `mixed-${Date.now()}`;
  const clients = await joinAgents(b.url, room, agents);
  const claimed: Array<string | null> = clients.map(() => null);
  const STEPS = 7;
  try {
    // The echo in rounds alternating with the mix (a whole cycle of steps each), as many calls.
    const { m, echo } = await measureBeside(
      b.meters,
      agents,
      rounds * STEPS,
      b.echo,
      async (w, i) => {
        const c = clients[w] as Agent;
        const agent_name = `agent-${w}`;
        const file = `mixed/w${w}/f${Math.floor(i / STEPS)}.ts`;
        let r: { isError: boolean; text: string; json: { claimed?: string | null } };
        switch (i % STEPS) {
          case 0:
            r = await c.call("masc_status");
            break;
          case 1:
            r = await c.call("masc_add_task", { title: `mixed ${w}-${i}`, priority: (i % 5) + 1 });
            break;
          case 2:
            r = await c.call("masc_claim_next", { agent_name });
            claimed[w] = r.json?.claimed ?? null;
            break;
          case 3:
            // Nothing claimed (another agent took the last one): a read keeps the mix's size.
            r = claimed[w] ? await c.call("masc_done", { agent_name, task_id: claimed[w] }) : await c.call("masc_status");
            break;
          case 4:
            r = await c.call("masc_broadcast", { agent_name, message: `mixed ${w}-${i}` });
            break;
          case 5:
            r = await c.call("masc_lock", { agent_name, file });
            break;
          default:
            r = await c.call("masc_unlock", { agent_name, file });
        }
        if (r.isError) throw new Error(r.text);
      },
      rounds,
    );
    console.error(
      `  mixed ${agents}: p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} (echo p99 ${echo.p99.toFixed(1)}), errors ${m.errors}`,
    );
    return { agents, m, echo };
  } finally {
    await closeAll(clients);
  }
}
