import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { call, connect, mintTokens } from "./mcp";

describe("spending caps through the tools", () => {
  it("refuses claims and worktrees at the cap, keeps claimed work and cost logging, and pushes one budget_exceeded", async () => {
    const room = "budget";
    const { client: lead } = await connect(room, "lead", { stream: false });
    const { client: worker } = await connect(room, "worker");
    const inbox = collect(worker);
    await call(lead, "masc_join", { agent_name: "lead" });
    await call(worker, "masc_join", { agent_name: "claude" });
    await untilStreaming(worker, "claude");
    await call(lead, "masc_batch_add_tasks", { tasks: [{ title: "a" }, { title: "b" }, { title: "c" }] });

    // An agent of another room is unknown here.
    const { client: elsewhere } = await connect("budget-elsewhere", "x", { stream: false });
    await call(elsewhere, "masc_join", { agent_name: "codex" });
    await elsewhere.close();
    for (const [args, error] of [
      [{ limit_usd: 5, agent_name: "codex" }, /^not_found: agent_name: no agent 'codex' has joined this room/],
      [{ limit_usd: -1 }, /^invalid_input: masc_budget_set: limit_usd/],
      [{ limit_usd: 5, agent_name: "ghost" }, /^not_found: agent_name: no agent 'ghost' has joined this room/],
      [{ limit_usd: 5, period: "week" }, /^invalid_input: masc_budget_set: period/],
      [{ limit_usd: "5" }, /^invalid_input: masc_budget_set: limit_usd/],
      [{ limit_usd: 5, agent_name: "../x" }, /^invalid_input: masc_budget_set: agent_name/],
    ] as const) {
      expect((await call(lead, "masc_budget_set", args)).text).toMatch(error);
    }
    expect((await call(lead, "masc_budget_status")).json).toEqual({ budgets: [], exceeded: 0 });

    const set = await call(lead, "masc_budget_set", { limit_usd: 2, agent_name: "claude" });
    expect(set.json.budget).toMatchObject({ agent: "claude", period: "total", limit_usd: 2, spend_usd: 0, exceeded: false });
    expect((await call(worker, "masc_claim_next", { agent_name: "claude" })).json.claimed).toBe("task-001");
    await call(worker, "masc_cost_log", { agent_name: "claude", cost_usd: 1.5 });
    await call(worker, "masc_cost_log", { agent_name: "claude", cost_usd: 1 });
    const pushed = await inbox.next((e) => e.kind === "budget_exceeded");
    expect(pushed.data).toMatchObject({ agent: "claude", scope: "agent", spend_usd: 2.5, limit_usd: 2, mentions: ["claude"] });

    const refusal =
      "budget_exceeded: claude spent $2.5 of its total cap of $2; claimed work stays yours, an admin can raise it with masc_budget_set";
    expect((await call(worker, "masc_claim_next", { agent_name: "claude" })).text).toBe(refusal);
    expect((await call(worker, "masc_claim", { agent_name: "claude", task_id: "task-002" })).text).toBe(refusal);
    expect((await call(worker, "masc_worktree_create", { agent_name: "claude", task_id: "task-001" })).text).toBe(refusal);
    // Claimed work stays and can be finished; spend is still recorded, and announced once.
    expect((await call(worker, "masc_done", { agent_name: "claude", task_id: "task-001" })).isError).toBe(false);
    expect((await call(worker, "masc_cost_log", { agent_name: "claude", cost_usd: 0.5 })).isError).toBe(false);
    const status = await call(lead, "masc_budget_status");
    expect(status.json).toMatchObject({ exceeded: 1, budgets: [{ agent: "claude", spend_usd: 3, remaining_usd: 0, exceeded: true }] });
    expect((await call(lead, "masc_claim_next", { agent_name: "lead" })).json.claimed).toBe("task-002");
    // A second announcement would come before the push of the cost logged after the crossing.
    await inbox.next((e) => e.kind === "cost_logged" && e.data.cost_usd === 0.5);
    expect(inbox.events.filter((e) => e.kind === "budget_exceeded")).toHaveLength(1);

    await call(lead, "masc_budget_set", { limit_usd: 10, agent_name: "claude" });
    expect((await call(worker, "masc_claim_next", { agent_name: "claude" })).json.claimed).toBe("task-003");
    const noDaemon = await call(worker, "masc_worktree_create", { agent_name: "claude", task_id: "task-003" });
    expect(noDaemon.text).toMatch(/^no_local_agent: /);
    await lead.close();
    await worker.close();
  });

  it("lets only an admin set a cap when auth is on, and anyone read them", async () => {
    const room = "budget-auth";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    const tokens = await mintTokens(room, secret, { claude: "worker", boss: "admin", peek: "reader" });
    const { client: worker } = await connect(room, "w", { stream: false, token: tokens.claude });
    const { client: admin } = await connect(room, "a", { stream: false, token: tokens.boss });
    const { client: reader } = await connect(room, "r", { stream: false, token: tokens.peek });
    const denied = await call(worker, "masc_budget_set", { limit_usd: 100, agent_name: "claude" });
    expect(denied.text).toBe("forbidden: masc_budget_set needs role admin; claude is worker");
    expect((await call(admin, "masc_budget_set", { limit_usd: 1, agent_name: "claude", period: "day" })).isError).toBe(false);
    const seen = await call(reader, "masc_budget_status");
    expect(seen.json.budgets).toEqual([expect.objectContaining({ agent: "claude", period: "day", limit_usd: 1, set_by: "boss" })]);
    await Promise.all([worker, admin, reader].map((c) => c.close()));
  });
});
