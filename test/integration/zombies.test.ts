import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("zombie detection", () => {
  it("turns a silent agent into a zombie from the alarm, frees its task, and revives it on activity", async () => {
    const room = "zombies";
    const { client } = await connect(room, "t", { stream: false });
    await call(client, "masc_join", { agent_name: "sleepy" });
    await call(client, "masc_join", { agent_name: "awake" });
    await call(client, "masc_add_task", { title: "a" });
    await call(client, "masc_claim", { agent_name: "sleepy", task_id: "task-001" });
    const stub = env.ROOM.getByName(room);
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE agents SET last_seen = last_seen - 3600000 WHERE name = 'sleepy'");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const agents = (await call(client, "masc_agents")).json.agents as Array<{ name: string; status: string; is_zombie: boolean }>;
    expect(agents.find((a) => a.name === "sleepy")).toMatchObject({ status: "zombie", is_zombie: true });
    expect(agents.find((a) => a.name === "awake")?.is_zombie).toBe(false);
    expect((await call(client, "masc_tasks", { state: "todo" })).json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-001"]);

    expect((await call(client, "masc_heartbeat", { agent_name: "sleepy" })).json.agent.status).toBe("active");
    await client.close();
  });

  it("removes zombies for good with masc_cleanup_zombies", async () => {
    const room = "zombies-cleanup";
    const { client } = await connect(room, "t", { stream: false });
    await call(client, "masc_join", { agent_name: "ghost" });
    await runInDurableObject(env.ROOM.getByName(room), (_i, state) => {
      state.storage.sql.exec("UPDATE agents SET last_seen = last_seen - 3600000");
    });
    expect((await call(client, "masc_cleanup_zombies")).json.removed).toEqual(["ghost"]);
    expect((await call(client, "masc_agents")).json.count).toBe(0);
    await client.close();
  });
});
