import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

/** Every SQL statement the room runs while `fn` runs, in order, whitespace folded. */
async function statements(room: string, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stub = env.ROOM.getByName(room);
  const restore = await runInDurableObject(stub, (_i, state) => {
    const sql = state.storage.sql;
    const exec = sql.exec;
    sql.exec = ((q: string, ...p: SqlStorageValue[]) => {
      seen.push(q.replace(/\s+/g, " ").trim());
      return exec.call(sql, q, ...p);
    }) as typeof sql.exec;
    return () => {
      sql.exec = exec;
    };
  });
  try {
    await fn();
  } finally {
    await runInDurableObject(stub, () => restore());
  }
  return seen;
}

/** What the room publishes after any write (host code): the new events read back, the cursor saved. */
const PUBLICATION = [/^SELECT seq, ts, kind, actor, target, body, data FROM events WHERE seq > \?/, /^UPDATE session_push /];
const ofWrite = (s: string[]) => s.filter((q) => !PUBLICATION.some((p) => p.test(q)));

describe("what a write asks of SQLite", () => {
  it("masc_add_task without blockers asks nothing of task_deps, and shows that it waits for nothing", async () => {
    const room = "stmts-add";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "warm" });
    let reply: Awaited<ReturnType<typeof call>> | undefined;
    const seen = await statements(room, async () => {
      reply = await call(client, "masc_add_task", { title: "plain" });
    });
    expect(reply?.json.task).toMatchObject({ id: "task-002", blocked_by: [], blocking: [], blocked: false });
    expect(seen.filter((q) => q.includes("task_deps"))).toEqual([]);
    // The counter, the task, its history, its event, the board version: five statements, one row each.
    expect(ofWrite(seen)).toHaveLength(5);
    await client.close();
  });

  it("masc_add_task with blockers still reads its links back and shows them", async () => {
    const room = "stmts-add-blocked";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "first" });
    await call(client, "masc_add_task", { title: "second" });
    const reply = await call(client, "masc_add_task", { title: "third", blocked_by: ["task-002", "task-001"] });
    expect(reply.json.task).toMatchObject({ id: "task-003", blocked_by: ["task-001", "task-002"], blocking: [], blocked: true });
    await client.close();
  });

  it("each of the seven writes runs the statements counted in decision 0043, once its room is warm", async () => {
    const room = "stmts-writes";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    // One of each first: settings read once are cached after it.
    for (let i = 1; i <= 4; i++) await call(client, "masc_add_task", { title: `t${i}` });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_done", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_claim_next", { agent_name: "claude" });
    await call(client, "masc_broadcast", { agent_name: "claude", message: "warm" });
    await call(client, "masc_lock", { agent_name: "claude", file: "warm.ts" });
    await call(client, "masc_unlock", { agent_name: "claude", file: "warm.ts" });
    const counted: Record<string, number> = {};
    const writes: Array<[string, Record<string, unknown>, number]> = [
      ["masc_add_task", { title: "t5" }, 5],
      ["masc_claim", { agent_name: "claude", task_id: "task-003" }, 6],
      ["masc_done", { agent_name: "claude", task_id: "task-003" }, 7],
      ["masc_claim_next", { agent_name: "claude" }, 7],
      ["masc_broadcast", { agent_name: "claude", message: "hello" }, 3],
      ["masc_lock", { agent_name: "claude", file: "a.ts" }, 5],
      ["masc_unlock", { agent_name: "claude", file: "a.ts" }, 4],
    ];
    for (const [name, args] of writes) {
      let failed = false;
      const seen = await statements(room, async () => {
        failed = (await call(client, name, args)).isError;
      });
      expect(failed, name).toBe(false);
      counted[name] = ofWrite(seen).length;
    }
    expect(counted).toEqual(Object.fromEntries(writes.map(([n, , c]) => [n, c])));
    await client.close();
  });
});
