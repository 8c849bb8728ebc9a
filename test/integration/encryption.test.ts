import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const SECRET_TITLE = "Rotate the zebra-ledger credentials";
const SECRET_MESSAGE = "@gemini the vault phrase is purple-otter-42";

async function storedText(room: string): Promise<string> {
  return runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
    ["tasks", "events", "checkpoints", "task_history", "sse_events"]
      .map((t) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM ${t}`).toArray()))
      .join("\n"),
  );
}

describe("encryption at rest", () => {
  it("seals existing and new text, keeps every read working, and decrypts it all back", async () => {
    const room = "enc";
    const { client } = await connect(room, "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: SECRET_TITLE, description: "behind the fridge" });
    await call(client, "masc_broadcast", { agent_name: "claude", message: SECRET_MESSAGE });
    expect(await storedText(room)).toContain("zebra-ledger");

    const on = await call(client, "masc_encryption_enable");
    expect(on.json).toMatchObject({ enabled: true, algorithm: "AES-256-GCM", scrubbed_bytes: expect.any(Number) });
    expect(on.json.scrub_error).toBeUndefined();
    expect(on.json.resealed_values).toBeGreaterThan(3);
    const claimed = await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    expect(claimed.isError, claimed.text).toBe(false);
    const asked = await call(client, "masc_interrupt", {
      agent_name: "claude",
      task_id: "task-001",
      step: 1,
      action: "rm -rf zebra-ledger",
      message: "ok?",
    });
    expect(asked.isError, asked.text).toBe(false);
    const done = await call(client, "masc_done", { agent_name: "claude", task_id: "task-001", notes: "zebra-ledger rotated" });
    expect(done.isError, done.text).toBe(false);

    const sealed = await storedText(room);
    for (const secret of ["zebra-ledger", "purple-otter", "behind the fridge"]) expect(sealed).not.toContain(secret);
    // The done notes were written, sealed, in the task and in its history.
    const notes = await runInDurableObject(env.ROOM.getByName(room), (_i, state) => ({
      task: state.storage.sql.exec("SELECT notes FROM tasks WHERE id = 'task-001'").one().notes,
      history: state.storage.sql.exec("SELECT detail FROM task_history WHERE task_id = 'task-001' AND to_state = 'done'").one().detail,
    }));
    expect(notes.task).toMatch(/^enc:/);
    expect(notes.history).toMatch(/^enc:/);
    expect((await call(client, "masc_tasks", { state: "done" })).json.tasks[0]).toMatchObject({
      id: "task-001",
      notes: "zebra-ledger rotated",
    });
    expect((await call(client, "masc_tasks")).json.tasks[0]).toMatchObject({ title: SECRET_TITLE, description: "behind the fridge" });
    expect((await call(client, "masc_messages")).text).toContain("purple-otter-42");
    expect((await call(client, "masc_pending_interrupts")).json.pending[0].action).toBe("rm -rf zebra-ledger");
    expect((await call(client, "masc_encryption_status")).json).toMatchObject({ enabled: true, key_configured: true });
    expect((await call(client, "masc_encryption_enable")).text).toMatch(/^conflict: encryption is already enabled/);

    const off = await call(client, "masc_encryption_disable");
    expect(off.json.enabled).toBe(false);
    const plain = await storedText(room);
    expect(plain).toContain("zebra-ledger");
    expect(plain).toContain("purple-otter-42");
    expect(plain).toContain("zebra-ledger rotated");
    expect(plain).not.toContain("enc:{");
    expect((await call(client, "masc_tasks")).json.tasks[0].title).toBe(SECRET_TITLE);
    await client.close();
  });

  it("seals the action an interrupt decision repeats, and reads it back in the clear", async () => {
    const room = "enc-decision";
    const { client } = await connect(room, "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "deploy" });
    const action = "drop table jade-kettle";
    await call(client, "masc_interrupt", { agent_name: "claude", task_id: "task-001", step: 1, action, message: "ok?" });
    expect((await call(client, "masc_approve", { task_id: "task-001" })).isError).toBe(false);
    expect(await storedText(room)).toContain("jade-kettle");

    await call(client, "masc_encryption_enable");
    expect(await storedText(room)).not.toContain("jade-kettle");
    const read = await client.readResource({ uri: "room://events?since=0" });
    const { events } = JSON.parse(String((read.contents[0] as { text: string }).text)) as {
      events: { kind: string; data: { action?: string } }[];
    };
    expect(events.find((e) => e.kind === "interrupt_approved")?.data.action).toBe(action);
    await client.close();
  });

  it("generates 32-byte keys in base64 or hex", async () => {
    const { client } = await connect("enc-key", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const b64 = (await call(client, "masc_generate_key")).json.key as string;
    expect(atob(b64)).toHaveLength(32);
    expect((await call(client, "masc_generate_key", { output: "hex" })).json.key).toMatch(/^[0-9a-f]{64}$/);
    await client.close();
  });
});
