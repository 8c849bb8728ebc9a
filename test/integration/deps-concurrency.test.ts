import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const AGENTS = 20;
const TASKS = 200;
const id = (n: number) => `task-${String(n + 1).padStart(3, "0")}`;

/** A fixed random graph: each task waits for up to three earlier ones. */
function graph(): number[][] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return Array.from({ length: TASKS }, (_, i) => {
    const n = i === 0 ? 0 : Math.floor(rnd() * 4);
    return [...new Set(Array.from({ length: n }, () => Math.floor(rnd() * i)))];
  });
}

describe("20 agents working a dependency graph of 200 tasks with claim_next", () => {
  it("never hands out a blocked task and gives each task one owner", async () => {
    const room = "deps-race";
    const deps = graph();
    const clients = await Promise.all(Array.from({ length: AGENTS }, (_, i) => connect(room, `agent-${i}`, { stream: false })));
    await Promise.all(clients.map(({ client }, i) => call(client, "masc_join", { agent_name: `agent-${i}` })));
    const lead = clients[0]!.client;
    for (const from of [0, 100]) {
      const tasks = deps.slice(from, from + 100).map((blockers, k) => ({
        title: `t${from + k}`,
        priority: 1 + ((from + k) % 3),
        // Earlier tasks of this batch by '#N', those of the first batch by id.
        blocked_by: blockers.map((b) => (b >= from ? `#${b - from}` : id(b))),
      }));
      expect((await call(lead, "masc_batch_add_tasks", { tasks })).isError).toBe(false);
    }

    // Every agent claims, finishes and claims again until no task is left open.
    const open = async () => (await call(lead, "masc_tasks", { state: "todo", limit: 1 })).json.total as number;
    const work = async (client: (typeof clients)[number]["client"], agent: string) => {
      for (;;) {
        const next = await call(client, "masc_claim_next", { agent_name: agent });
        expect(next.isError, next.text).toBe(false);
        if (next.json.claimed) {
          expect(next.json.task.blocked).toBe(false);
          expect((await call(client, "masc_done", { agent_name: agent, task_id: next.json.claimed })).isError).toBe(false);
        } else if ((await open()) === 0) return;
        else await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all(clients.map(({ client }, i) => work(client, `agent-${i}`)));

    // The room's own log: each task claimed once, after every task it waits for was done.
    const log = await runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
      state.storage.sql
        .exec<{ seq: number; kind: string; task: string; actor: string }>(
          "SELECT seq, kind, json_extract(data, '$.task_id') AS task, actor FROM events WHERE kind IN ('task_claimed', 'task_done') ORDER BY seq",
        )
        .toArray(),
    );
    const claims = log.filter((e) => e.kind === "task_claimed");
    expect(claims).toHaveLength(TASKS);
    expect(new Set(claims.map((c) => c.task)).size).toBe(TASKS);
    const doneAt = new Map(log.filter((e) => e.kind === "task_done").map((e) => [e.task, e.seq]));
    for (const c of claims) {
      const n = Number(c.task.slice(5)) - 1;
      for (const b of deps[n] ?? []) expect(doneAt.get(id(b)), `${c.task} claimed before ${id(b)} was done`).toBeLessThan(c.seq);
    }
    expect(new Set(claims.map((c) => c.actor)).size).toBeGreaterThan(1);
    await Promise.all(clients.map(({ client }) => client.close()));
  });
});
