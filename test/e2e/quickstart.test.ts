import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

describe("wrangler dev, official MCP client", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startWrangler();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves /health", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toMatchObject({ status: "ok", server: "masc", backend: "durable-objects" });
  });

  it("runs the README quick start and keeps the session across a wrangler restart", async () => {
    const { client, transport } = await mcpClient(`${server.url}/r/e2e/mcp`);
    await tool(client, "masc_join", { agent_name: "claude" });
    expect((await tool(client, "masc_add_task", { title: "My first task" })).json.task_id).toBe("task-001");
    expect((await tool(client, "masc_claim", { agent_name: "claude", task_id: "task-001" })).json.claimed).toBe("task-001");
    const sid = transport.sessionId;
    await server.restart();
    const done = await tool(client, "masc_done", { agent_name: "claude", task_id: "task-001", notes: "after restart" });
    expect(done.isError).toBe(false);
    expect(done.json.task).toMatchObject({ status: "done", notes: "after restart" });
    expect(transport.sessionId).toBe(sid);
    await client.close();
  });
});
