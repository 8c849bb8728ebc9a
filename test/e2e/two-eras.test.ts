import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { tool } from "../helpers/client";
import { modernClient, modernTool } from "../helpers/modern-client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

/**
 * The README quick start with a 2026-07-28 client (v2 SDK, pinned) and a 2025-11-25 client (v1
 * SDK) in one room at once, against a real `wrangler dev`: each sees the other's changes, and each
 * answers an approval by elicitation.
 */
describe("both protocol eras in one room", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startWrangler();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("runs the quick start side by side and each era sees the other's changes", async () => {
    const url = `${server.url}/r/eras/mcp`;
    const modern = await modernClient(url);
    const updated: string[] = [];
    modern.setNotificationHandler("notifications/resources/updated", (n) => {
      updated.push(n.params.uri);
    });
    const listening = await modern.listen({ resourceSubscriptions: ["masc://tasks", "room://events"] });

    const transport = new StreamableHTTPClientTransport(new URL(url));
    const legacy = new Client({ name: "legacy", version: "1" });
    await legacy.connect(transport);
    const inbox = collect(legacy);

    await modernTool(modern, "masc_join", { agent_name: "claude" });
    await tool(legacy, "masc_join", { agent_name: "gemini" });
    await untilStreaming(legacy, "gemini");

    // 2025 adds the task; the 2026 listener hears the board changed and claims it.
    const added = await tool(legacy, "masc_add_task", { title: "My first task" });
    expect(added.json.task_id).toBe("task-001");
    for (let i = 0; i < 100 && !updated.includes("masc://tasks"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(updated).toContain("masc://tasks");
    expect((await modernTool(modern, "masc_claim", { agent_name: "claude", task_id: "task-001" })).json.claimed).toBe("task-001");
    const done = await modernTool(modern, "masc_done", { agent_name: "claude", task_id: "task-001" });
    expect(done.json.task).toMatchObject({ status: "done" });

    // 2026 mentions 2025; it arrives on the 2025 session's GET stream.
    const sent = await modernTool(modern, "masc_broadcast", { agent_name: "claude", message: "@gemini task-001 is done" });
    const pushed = await inbox.next((e) => e.kind === "broadcast" && e.seq === sent.json.seq);
    expect(pushed).toMatchObject({ actor: "claude", target: "gemini" });
    // The 2025 board shows what 2026 did.
    expect((await tool(legacy, "masc_tasks", { state: "done" })).json.tasks.map((t: { id: string }) => t.id)).toEqual(["task-001"]);

    await listening.close();
    await modern.close();
    await legacy.close();
  });

  it("answers an approval by elicitation in each era", async () => {
    const url = `${server.url}/r/eras-approve/mcp`;
    const modern = await modernClient(url, { elicit: () => ({ decision: "approve" }) });
    await modernTool(modern, "masc_join", { agent_name: "claude" });
    const ask = { task_id: "deploy-1", step: 1, action: "wrangler deploy", message: "Ship it?" };
    const approved = await modernTool(modern, "masc_interrupt", { agent_name: "claude", ...ask });
    expect(approved.json).toMatchObject({ decision: "approved", checkpoint: { decided_by: "human via claude's client" } });

    const legacy = new Client({ name: "legacy", version: "1" }, { capabilities: { elicitation: {} } });
    legacy.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { decision: "reject", reason: "friday" } }));
    await legacy.connect(new StreamableHTTPClientTransport(new URL(url)));
    await tool(legacy, "masc_join", { agent_name: "gemini" });
    await untilStreaming(legacy, "gemini");
    const rejected = await tool(legacy, "masc_interrupt", { agent_name: "gemini", ...ask, task_id: "deploy-2" });
    expect(rejected.json).toMatchObject({ decision: "rejected", checkpoint: { reason: "friday" } });

    // Each era sees the other's decision.
    const seen = await modernTool(modern, "masc_pending_interrupts", {});
    expect(seen.json.count).toBe(0);
    expect(seen.json.recent_decisions.map((d: { task_id: string; state: string }) => [d.task_id, d.state])).toEqual(
      expect.arrayContaining([
        ["deploy-1", "approved"],
        ["deploy-2", "rejected"],
      ]),
    );
    await modern.close();
    await legacy.close();
  });
});
