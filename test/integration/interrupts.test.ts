import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { call, connect } from "./mcp";

describe("human-in-the-loop interrupts", () => {
  it("records a pending approval, tells the agent the decision by push and by polling, and keeps it final", async () => {
    const room = "interrupts";
    const { client: agent } = await connect(room, "agent");
    const inbox = collect(agent);
    await call(agent, "masc_switch_mode", { mode: "full" });
    await call(agent, "masc_join", { agent_name: "claude" });
    await untilStreaming(agent, "claude");
    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });

    const asked = await call(agent, "masc_interrupt", {
      agent_name: "claude",
      task_id: "cleanup-job",
      step: 3,
      action: "DELETE FROM users WHERE inactive=true",
      message: "Delete 1,247 records from production?",
    });
    expect(asked.json.checkpoint).toMatchObject({ state: "pending", step: 3, action: "DELETE FROM users WHERE inactive=true" });
    expect(
      (await call(agent, "masc_interrupt", { agent_name: "claude", task_id: "cleanup-job", step: 4, action: "x", message: "y" })).text,
    ).toMatch(/^conflict: .*already waits/);

    const pending = await call(human, "masc_pending_interrupts");
    expect(pending.json.pending.map((p: { task_id: string }) => p.task_id)).toEqual(["cleanup-job"]);

    expect((await call(human, "masc_approve", { task_id: "cleanup-job" })).json.checkpoint.state).toBe("approved");
    const pushed = await inbox.next((e) => e.kind === "interrupt_approved");
    expect(pushed).toMatchObject({ target: "claude", data: { task_id: "cleanup-job", step: 3 } });
    const polled = await call(agent, "masc_pending_interrupts", { task_id: "cleanup-job" });
    expect(polled.json).toMatchObject({ count: 0, recent_decisions: [{ state: "approved", step: 3 }] });

    const again = await call(human, "masc_reject", { task_id: "cleanup-job", reason: "too late" });
    expect(again.text).toMatch(/^already_decided: .*already approved.*a decision is final/);
    await agent.close();
    await human.close();
  });

  it("rejects with a reason and forks a branch from an earlier step", async () => {
    const { client } = await connect("interrupts-branch", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_interrupt", { agent_name: "claude", task_id: "migrate", step: 1, action: "drop table", message: "ok?" });
    const rejected = await call(client, "masc_reject", { task_id: "migrate", reason: "Backup first" });
    expect(rejected.json.checkpoint).toMatchObject({ state: "rejected", reason: "Backup first" });
    const forked = await call(client, "masc_branch", {
      agent_name: "claude",
      task_id: "migrate",
      source_step: 1,
      branch_name: "backup-first",
    });
    expect(forked.json.source.state).toBe("branched");
    expect(forked.json.branch).toMatchObject({ step: 2, state: "in_progress", branch_name: "backup-first" });
    expect((await call(client, "masc_approve", { task_id: "nothing" })).text).toMatch(/^not_found: /);
    expect(
      (await call(client, "masc_branch", { agent_name: "claude", task_id: "migrate", source_step: 1, branch_name: "bad name" })).text,
    ).toMatch(/branch_name: /);
    await client.close();
  });
});
