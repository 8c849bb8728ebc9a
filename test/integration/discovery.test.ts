import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { fullMode } from "./modes";

describe("discovery", () => {
  it("finds agents by capability, active first, and updates declared status", async () => {
    const { client } = await connect("disco", "a", { stream: false });
    await fullMode("disco");
    await call(client, "masc_join", { agent_name: "claude", capabilities: ["typescript", "review"] });
    await call(client, "masc_join", { agent_name: "gemini" });
    await call(client, "masc_register_capabilities", { agent_name: "gemini", capabilities: ["Python", "review"] });
    const reviewers = await call(client, "masc_find_by_capability", { capability: "REVIEW" });
    expect(reviewers.json.agents.map((a: { name: string }) => a.name).sort()).toEqual(["claude", "gemini"]);
    expect((await call(client, "masc_find_by_capability", { capability: "python" })).json.count).toBe(1);
    const updated = await call(client, "masc_agent_update", { agent_name: "claude", status: "busy" });
    expect(updated.json.agent).toMatchObject({ name: "claude", declared_status: "busy", capabilities: ["typescript", "review"] });
    expect((await call(client, "masc_agent_update", { agent_name: "claude" })).isError).toBe(true);
    const discovered = await call(client, "masc_a2a_discover", { capability: "typescript" });
    expect(discovered.json).toMatchObject({ count: 1, active: ["claude"], agent_card: { name: "masc", url: "/r/disco/mcp" } });
    await client.close();
  });

  it("serves the agent card at /.well-known/agent-card.json", async () => {
    const res = await exports.default.fetch("http://localhost/.well-known/agent-card.json");
    expect(res.status).toBe(200);
    const card = (await res.json()) as { name: string; url: string; skills: Array<{ id: string }> };
    expect(card).toMatchObject({ name: "masc", url: "http://localhost/mcp" });
    expect(card.skills.map((s) => s.id)).toContain("comm");
  });

  it("reports task metrics per agent", async () => {
    const { client } = await connect("metrics", "a", { stream: false });
    await fullMode("metrics");
    await call(client, "masc_join", { agent_name: "claude" });
    for (const title of ["a", "b"]) await call(client, "masc_add_task", { title });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_done", { agent_name: "claude", task_id: "task-001" });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-002" });
    await call(client, "masc_leave", { agent_name: "claude" });
    const m = await call(client, "masc_get_metrics", { days: 7 });
    expect(m.json.agents).toEqual([
      expect.objectContaining({ agent: "claude", tasks_done: 1, tasks_released: 1, failures: 1, success_rate: 0.5, avg_duration_s: 0 }),
    ]);
    await client.close();
  });
});
