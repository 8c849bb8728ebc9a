import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const ROOM = "bad-input";

/** Everything a bad call could have touched, to compare before and after. */
async function dump(): Promise<string> {
  return runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) => {
    const q = (sql: string) => JSON.stringify(state.storage.sql.exec(sql).toArray());
    return [q("SELECT * FROM tasks"), q("SELECT * FROM agents"), q("SELECT * FROM events"), q("SELECT * FROM meta")].join("\n");
  });
}

const CASES: Array<[string, string, Record<string, unknown>, RegExp]> = [
  ["wrong type", "masc_add_task", { title: 42 }, /^invalid_input: masc_add_task: title: must be a string, not the number 42$/],
  ["missing field", "masc_claim", { agent_name: "claude" }, /^invalid_input: masc_claim: task_id: required \(a string\)$/],
  ["number sent as a string", "masc_add_task", { title: "a", priority: "1" }, /priority: must be a number, not the string "1"$/],
  ["null for a string", "masc_done", { agent_name: "claude", task_id: null }, /task_id: must be a string, not null$/],
  ["wrong type in a list", "masc_batch_add_tasks", { tasks: [{ title: 7 }] }, /tasks\.0\.title: must be a string, not the number 7/],
  ["forged cursor", "masc_tasks", { cursor: "abc" }, /cursor: must be the next_cursor of a previous masc_tasks page/],
  ["negative cursor", "masc_tasks", { cursor: "-5" }, /cursor: must be the next_cursor/],
  ["oversize title", "masc_add_task", { title: "x".repeat(201) }, /title: must be at most 200 characters/],
  ["empty title", "masc_add_task", { title: "   " }, /title: must not be empty/],
  ["priority out of range", "masc_add_task", { title: "a", priority: 9 }, /priority: /],
  [
    "fractional priority",
    "masc_update_priority",
    { task_id: "task-001", priority: 1.5 },
    /priority: must be a whole number, not the fraction 1.5/,
  ],
  ["unknown field", "masc_add_task", { title: "a", owner: "x" }, /unknown field\(s\) owner/],
  ["invalid agent name", "masc_join", { agent_name: "bad name!" }, /agent_name: must be 1-64 characters/],
  ["too long agent name", "masc_join", { agent_name: "a".repeat(65) }, /agent_name: /],
  ["invalid task id", "masc_claim", { agent_name: "claude", task_id: "../etc" }, /task_id: must be 1-128/],
  ["unknown task id", "masc_claim", { agent_name: "claude", task_id: "task-999" }, /^task_not_found: .*task-999/],
  ["unjoined agent", "masc_claim", { agent_name: "stranger", task_id: "task-001" }, /^not_joined: .*stranger/],
  ["unknown action", "masc_transition", { agent_name: "claude", task_id: "task-001", action: "explode" }, /action: /],
  ["unknown state filter", "masc_tasks", { state: "lost" }, /state: /],
  ["limit too big", "masc_tasks", { limit: 10_000 }, /limit: /],
  ["batch too big", "masc_batch_add_tasks", { tasks: Array.from({ length: 101 }, () => ({ title: "x" })) }, /tasks: must hold at most 100/],
  ["gc days zero", "masc_gc", { days: 0 }, /days: /],
];

describe("bad input", () => {
  it.each(CASES)("%s gets a clear error naming the field and changes nothing", async (_label, tool, args, pattern) => {
    const { client } = await connect(ROOM, "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    if ((await call(client, "masc_tasks")).json.total === 0) await call(client, "masc_add_task", { title: "seed" });
    const before = await dump();
    const reply = await call(client, tool, args);
    expect(reply.isError).toBe(true);
    expect(reply.text).toMatch(pattern);
    expect(reply.text.split("\n")).toHaveLength(1);
    expect(await dump()).toBe(before);
    await client.close();
  });
});
