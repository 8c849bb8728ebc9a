import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

describe("directory and glob leases over MCP", () => {
  it("gives a 20-agent race on overlapping leases and files exactly one winner", async () => {
    const room = "lease-race";
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(room, `c${i}`, { stream: false })));
    await Promise.all(clients.map(({ client }, i) => call(client, "masc_join", { agent_name: `agent-${i}` })));
    // Every target overlaps every other: src/ covers them all, and each lies under src/core/.
    const targets = ["src/", "src/core/**", "src/**/*.ts", "src/core/a.ts", "src/*/a.ts"];
    const results = await Promise.all(
      clients.map(({ client }, i) => call(client, "masc_lock", { agent_name: `agent-${i}`, file: targets[i % targets.length] })),
    );
    const winners = results.filter((r) => !r.isError);
    expect(winners).toHaveLength(1);
    const holder = winners[0]?.json.holder as string;
    for (const loser of results.filter((r) => r.isError)) expect(loser.text).toMatch(new RegExp(`^lock_held: .*${holder}`));
    const locks = await call(clients[0]?.client ?? (undefined as never), "masc_locks", {});
    expect(locks.json.count).toBe(1);
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  it("pins overlap in both directions, shows leases in masc_locks, and frees them on unlock", async () => {
    const { client } = await connect("lease-rules", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_join", { agent_name: "bob" });
    const lease = await call(client, "masc_lock", { agent_name: "ann", file: "src/auth/" });
    expect(lease.json).toMatchObject({ locked: "src/auth/", kind: "dir", holder: "ann", token: 1 });
    const inside = await call(client, "masc_lock", { agent_name: "bob", file: "src/auth/new.ts" });
    expect(inside.text).toMatch(/^lock_held: src\/auth\/new\.ts is inside src\/auth\/ leased by ann until /);
    await call(client, "masc_lock", { agent_name: "bob", file: "db/1.sql" });
    const over = await call(client, "masc_lock", { agent_name: "ann", file: "**/*.sql" });
    expect(over.text).toMatch(/^lock_held: \*\*\/\*\.sql covers db\/1\.sql, locked by bob until /);
    const listed = await call(client, "masc_locks", {});
    expect(listed.json.locks).toMatchObject([
      { file: "db/1.sql", kind: "file", holder: "bob" },
      { file: "src/auth/", kind: "dir", holder: "ann" },
    ]);
    await call(client, "masc_unlock", { agent_name: "ann", file: "src/auth/**" });
    expect((await call(client, "masc_lock", { agent_name: "bob", file: "src/auth/new.ts" })).isError).toBe(false);
    await client.close();
  });

  it.each([
    ["**", /matches the whole repository/],
    ["/", /matches the whole repository/],
    ["src/a**", /'\*\*' must be a whole segment/],
    ["src/a\u2028.ts", /line or paragraph separator/],
    ["src/e.ts.", /ending in '\.' or a space/],
  ])("refuses %j with a clear error and locks nothing", async (file, why) => {
    const { client } = await connect("lease-bad", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    const out = await call(client, "masc_lock", { agent_name: "ann", file });
    expect(out.text).toMatch(/^invalid_path: file '/);
    expect(out.text).toMatch(why);
    expect((await call(client, "masc_locks", {})).json.count).toBe(0);
    await client.close();
  });

  it("makes the hook API answer the lease holder for a case twin under it", async () => {
    const { client } = await connect("lease-hook", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_join", { agent_name: "bob" });
    await call(client, "masc_lock", { agent_name: "ann", file: "src/Auth/**" });
    const res = await exports.default.fetch(
      new Request("http://localhost/r/lease-hook/api/hook?agent=bob&file=src/auth/x.ts&file=lib/y.ts"),
    );
    const body = (await res.json()) as { lock: { holder: string; file: string }; locks: unknown[] };
    expect(body.lock).toMatchObject({ holder: "ann", file: "src/Auth/**", path: "src/auth/x.ts" });
    expect(body.locks).toHaveLength(1);
    const overview = await exports.default.fetch(new Request("http://localhost/r/lease-hook/api/overview"));
    expect(((await overview.json()) as { locks: unknown[] }).locks).toMatchObject([{ file: "src/Auth/**", kind: "glob", holder: "ann" }]);
    await client.close();
  });
});

describe("names git could read as options", () => {
  it.each([
    ["masc_join", { agent_name: "-rf" }, /agent_name: .*starting with a letter or digit/],
    ["masc_join", { agent_name: "--force" }, /agent_name: .*starting with a letter or digit/],
    ["masc_worktree_create", { agent_name: "ann", task_id: "-b" }, /task_id: .*starting with a letter or digit/],
  ])("%s refuses %j", async (name, args, why) => {
    const { client } = await connect("git-names", "a", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "ann" });
    const out = await call(client, name, args);
    expect(out.text).toMatch(/^invalid_input: /);
    expect(out.text).toMatch(why);
    expect((await call(client, "masc_who", {})).text).not.toContain("-rf");
    await client.close();
  });
});
