import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const AGENTS = 50;
const TASKS = 10;

describe("50 agents racing for the same tasks", () => {
  it("gives every task exactly one owner and tells every loser who holds it", async () => {
    const room = "race";
    const clients = await Promise.all(Array.from({ length: AGENTS }, (_, i) => connect(room, `agent-${i}`, { stream: false })));
    await Promise.all(clients.map(({ client }, i) => call(client, "masc_join", { agent_name: `agent-${i}` })));
    await call(clients[0]!.client, "masc_batch_add_tasks", { tasks: Array.from({ length: TASKS }, (_, i) => ({ title: `t${i}` })) });

    // Every agent tries to claim every task, all at once.
    const attempts = await Promise.all(
      clients.flatMap(({ client }, i) =>
        Array.from({ length: TASKS }, async (_, t) => {
          const task_id = `task-${String(t + 1).padStart(3, "0")}`;
          return { agent: `agent-${i}`, task_id, reply: await call(client, "masc_claim", { agent_name: `agent-${i}`, task_id }) };
        }),
      ),
    );
    const board = (await call(clients[0]!.client, "masc_tasks", { limit: 50 })).json.tasks as Array<{
      id: string;
      assignee: string;
      status: string;
    }>;
    // The whole board, so the checks below run over every task (an empty board would pass them all).
    expect(board.map((t) => t.id).sort()).toEqual(Array.from({ length: TASKS }, (_, t) => `task-${String(t + 1).padStart(3, "0")}`));
    for (const task of board) {
      expect(task.status).toBe("claimed");
      const wins = attempts.filter((a) => a.task_id === task.id && !a.reply.isError);
      // An owner's own retry is idempotent, so all successes for a task are by the one assignee.
      expect(new Set(wins.map((w) => w.agent))).toEqual(new Set([task.assignee]));
      expect(attempts.filter((a) => a.task_id === task.id && a.reply.isError)).toHaveLength(AGENTS - wins.length);
      for (const loss of attempts.filter((a) => a.task_id === task.id && a.reply.isError)) {
        expect(loss.reply.text).toBe(
          `task_already_claimed: task ${task.id} is already claimed by ${task.assignee}; take another with masc_claim_next`,
        );
      }
    }

    // claim_next: more agents than tasks; each task goes to one agent, the rest are told the board is empty.
    await call(clients[0]!.client, "masc_batch_add_tasks", { tasks: Array.from({ length: TASKS }, (_, i) => ({ title: `n${i}` })) });
    const nexts = await Promise.all(clients.map(({ client }, i) => call(client, "masc_claim_next", { agent_name: `agent-${i}` })));
    const claimed = nexts.filter((r) => r.json?.claimed).map((r) => r.json.claimed as string);
    expect(claimed).toHaveLength(TASKS);
    expect(new Set(claimed).size).toBe(TASKS);
    expect(nexts.filter((r) => !r.isError && r.json.claimed === null)).toHaveLength(AGENTS - TASKS);
    await Promise.all(clients.map(({ client }) => client.close()));
  });
});
