import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("room server", () => {
  it("answers /health", async () => {
    const res = await exports.default.fetch("http://localhost/health");
    expect(await res.json()).toEqual({ status: "ok", server: "masc", version: expect.any(String), backend: "durable-objects" });
  });

  it("refuses a foreign Origin with 403", async () => {
    const res = await exports.default.fetch("http://localhost/mcp", {
      method: "POST",
      headers: { origin: "http://evil.example" },
      body: "{}",
    });
    expect(res.status).toBe(403);
  });

  it("runs the README quick start", async () => {
    const { client } = await connect("quickstart");
    expect((await call(client, "masc_join", { agent_name: "claude" })).isError).toBe(false);
    expect((await call(client, "masc_add_task", { title: "My first task" })).json.task_id).toBe("task-001");
    expect((await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" })).json.claimed).toBe("task-001");
    expect((await call(client, "masc_done", { agent_name: "claude", task_id: "task-001" })).json.task.status).toBe("done");
    await client.close();
  });

  it("keeps a session across eviction without re-initializing", async () => {
    const { client, transport } = await connect("evict", "test", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const sid = transport.sessionId;
    const stub = env.ROOM.getByName("evict");
    await evictDurableObject(stub);
    const after = await call(client, "masc_status");
    expect(after.isError).toBe(false);
    expect(after.json.agents.names).toEqual(["claude"]);
    expect(transport.sessionId).toBe(sid);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM sessions").one().n);
    expect(rows).toBe(1);
    await client.close();
  });
});
