import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("rate limit tools", () => {
  it("limits broadcasts per agent once enabled, says when to retry, and never limits reads", async () => {
    const { client } = await connect("rl", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    expect((await call(client, "masc_rate_limit_config")).json).toMatchObject({
      active: false,
      general: 10,
      broadcast: 15,
      task: 30,
      burst: 5,
    });
    expect((await call(client, "masc_rate_limit_config", { enabled: true, broadcast: 3, burst: 1 })).json).toMatchObject({
      active: true,
      broadcast: 3,
    });
    for (let i = 0; i < 4; i++)
      expect((await call(client, "masc_broadcast", { agent_name: "claude", message: `m${i}` })).isError).toBe(false);
    const limited = await call(client, "masc_broadcast", { agent_name: "claude", message: "one too many" });
    expect(limited.text).toMatch(/^rate_limited: claude made 4 broadcast calls this minute \(limit 4\); retry in \d+s$/);
    for (let i = 0; i < 30; i++) expect((await call(client, "masc_status")).isError).toBe(false);
    const status = await call(client, "masc_rate_limit_status", { agent_name: "claude" });
    expect(status.json.categories.find((c: { category: string }) => c.category === "broadcast")).toMatchObject({ used: 4, limit: 4 });
    expect((await call(client, "masc_rate_limit_config", { task: 0 })).text).toMatch(/task: /);
    await client.close();
  });

  it("never counts reads that move the caller's own cursors: 20 rounds of masc_messages and masc_listen leave masc_lock its budget", async () => {
    const { client } = await connect("rl-reads", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_rate_limit_config", { enabled: true, general: 2, burst: 0 });
    const reads: Array<[string, Record<string, unknown>]> = [
      ["masc_messages", { agent_name: "claude" }],
      ["masc_listen", { agent_name: "claude", timeout: 0 }],
      ["masc_heartbeat", { agent_name: "claude" }],
      ["masc_portal_status", { agent_name: "claude" }],
      ["masc_who", {}],
      ["masc_locks", {}],
      ["masc_agents", {}],
      ["masc_tasks", {}],
    ];
    for (let i = 0; i < 20; i++)
      for (const [name, args] of reads) expect((await call(client, name, args)).isError, `${name} #${i}`).toBe(false);
    for (const file of ["a.ts", "b.ts"]) expect((await call(client, "masc_lock", { agent_name: "claude", file })).isError).toBe(false);
    expect((await call(client, "masc_lock", { agent_name: "claude", file: "c.ts" })).text).toMatch(/^rate_limited: claude made 2 general/);
    await client.close();
  });
});
