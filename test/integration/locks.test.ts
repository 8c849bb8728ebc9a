import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { until } from "../helpers/until";
import { call, connect } from "./mcp";

describe("file locks over MCP", () => {
  it("gives a 20-way race for one file exactly one winner; the others are told who holds it", async () => {
    const room = "lock-race";
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(room, `c${i}`, { stream: false })));
    await Promise.all(clients.map(({ client }, i) => call(client, "masc_join", { agent_name: `agent-${i}` })));
    const results = await Promise.all(
      clients.map(({ client }, i) => call(client, "masc_lock", { agent_name: `agent-${i}`, file: "src/hot.ts" })),
    );
    const winners = results.filter((r) => !r.isError);
    expect(winners).toHaveLength(1);
    const holder = winners[0]?.json.holder;
    for (const loser of results.filter((r) => r.isError)) {
      expect(loser.text).toMatch(new RegExp(`^lock_held: src/hot.ts is locked by ${holder} until \\d{4}-`));
    }
    const locks = await call(clients[0]?.client ?? (undefined as never), "masc_locks", {});
    expect(locks.json).toMatchObject({ count: 1, locks: [{ file: "src/hot.ts", holder, token: 1 }] });
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  it("frees an expired lock from the room alarm and raises the token for the next holder", async () => {
    const room = "lock-expiry";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_join", { agent_name: "gemini" });
    expect((await call(client, "masc_lock", { agent_name: "claude", file: "a.ts", ttl: 1 })).json.token).toBe(1);
    const stub = env.ROOM.getByName(room);
    const expiredEvents = () =>
      runInDurableObject(
        stub,
        (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE kind = 'lock_expired'").one().n,
      );
    // The alarm frees the lock once its second has passed, not before: run it until it has.
    await until(async () => {
      await runDurableObjectAlarm(stub);
      return (await expiredEvents()) > 0 ? true : undefined;
    }, "the lock to expire");
    expect(await expiredEvents()).toBe(1);
    expect((await call(client, "masc_locks", {})).json.count).toBe(0);
    const next = await call(client, "masc_lock", { agent_name: "gemini", file: "a.ts" });
    expect(next.json).toMatchObject({ holder: "gemini", token: 2 });
    await client.close();
  });

  it("refuses unsafe paths and unlock by a non-holder, and releases locks on leave", async () => {
    const { client } = await connect("lock-rules", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_join", { agent_name: "gemini" });
    expect((await call(client, "masc_lock", { agent_name: "claude", file: "../etc/passwd" })).text).toMatch(/^invalid_path: .*'\.\.'/);
    expect((await call(client, "masc_lock", { agent_name: "claude", file: "/abs" })).text).toMatch(/^invalid_path: .*absolute/);
    await call(client, "masc_lock", { agent_name: "claude", file: "src/nested/deep.ts" });
    const denied = await call(client, "masc_unlock", { agent_name: "gemini", file: "src/nested/deep.ts" });
    expect(denied.text).toMatch(/^lock_not_held: .*locked by claude/);
    const left = await call(client, "masc_leave", { agent_name: "claude" });
    expect(left.json.released).toContain("lock:src/nested/deep.ts");
    expect((await call(client, "masc_lock", { agent_name: "gemini", file: "src/nested/deep.ts" })).isError).toBe(false);
    await client.close();
  });
});
