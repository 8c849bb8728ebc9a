import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("voting and cost tools", () => {
  it("creates, casts, reports and closes a vote at its deadline from the room alarm", async () => {
    const room = "votes";
    const { client } = await connect(room, "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["claude", "gemini"]) await call(client, "masc_join", { agent_name: a });
    const created = await call(client, "masc_vote_create", {
      proposer: "claude",
      topic: "ship?",
      options: ["yes", "no"],
      required_votes: 3,
      deadline_minutes: 5,
    });
    expect(created.json).toMatchObject({ vote_id: "vote-001", status: "open", tally: { yes: 0, no: 0 } });
    await call(client, "masc_vote_cast", { agent_name: "gemini", vote_id: "vote-001", choice: "no" });
    await call(client, "masc_vote_cast", { agent_name: "gemini", vote_id: "vote-001", choice: "yes" });
    expect((await call(client, "masc_vote_status", { vote_id: "vote-001" })).json).toMatchObject({
      tally: { yes: 1, no: 0 },
      voters: ["gemini"],
    });
    expect((await call(client, "masc_vote_cast", { agent_name: "gemini", vote_id: "vote-001", choice: "maybe" })).text).toMatch(
      /choice must be one of: yes, no/,
    );
    await runInDurableObject(env.ROOM.getByName(room), (_i, state) => {
      state.storage.sql.exec("UPDATE votes SET deadline = ?", Date.now() - 1);
    });
    await runDurableObjectAlarm(env.ROOM.getByName(room));
    expect((await call(client, "masc_votes")).json.votes[0]).toMatchObject({ status: "approved", winner: "yes" });
    expect((await call(client, "masc_vote_status", { vote_id: "vote-404" })).text).toMatch(/^not_found: /);
    await client.close();
  });

  it("logs cost and reports it by period", async () => {
    const { client } = await connect("costs", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_cost_log", {
      agent_name: "claude",
      model: "sonnet",
      input_tokens: 1200,
      output_tokens: 300,
      cost_usd: 0.012,
      task_id: "task-001",
    });
    const report = await call(client, "masc_cost_report", { period: "daily" });
    expect(report.json).toMatchObject({
      period: "daily",
      total_entries: 1,
      total_cost_usd: 0.012,
      by_agent: [{ agent: "claude", cost_usd: 0.012 }],
    });
    expect((await call(client, "masc_cost_log", { agent_name: "claude", cost_usd: -1 })).text).toMatch(/cost_usd: /);
    expect((await call(client, "masc_cost_report", { period: "yearly" })).text).toMatch(/period: /);
    await client.close();
  });
});
