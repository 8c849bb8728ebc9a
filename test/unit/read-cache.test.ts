import { describe, expect, it } from "vitest";
import { callTool } from "../../src/mcp/call";
import { TOOLS_BY_NAME } from "../../src/mcp/registry";
import type { Caller } from "../../src/room/auth";
import { recordingDb } from "../helpers/recording-db";
import { toolContext } from "../helpers/tool-context";

const T0 = Date.UTC(2026, 10, 1);
const tool = (name: string) => {
  const t = TOOLS_BY_NAME.get(name);
  if (!t) throw new Error(`${name} is registered`);
  return t;
};

describe("reads answered from memory", () => {
  it("masc_status and masc_tasks answer again without reading while nothing was written, and see a write at once", async () => {
    const { db, queries: reads } = recordingDb();
    const call = async (name: string, args: Record<string, unknown> = {}, caller: Caller | null = null) =>
      ((await callTool(tool(name), args, toolContext(db, T0, caller))).content[0] as { text: string }).text;
    await call("masc_join", { agent_name: "claude" });
    const status = JSON.parse(await call("masc_status"));
    expect(status.agents.names).toEqual(["claude"]);
    // Every guard still runs; the tools' own queries (agents, counts, the board) do not.
    const board = (qs: string[]) => qs.filter((q) => /FROM (agents a|task_counts|tasks\b|event_counts)/.test(q));
    let mark = reads().length;
    expect(JSON.parse(await call("masc_status"))).toEqual(status);
    expect(board(reads().slice(mark))).toEqual([]);
    expect(JSON.parse(await call("masc_tasks", { limit: 10 })).tasks).toEqual([]);
    mark = reads().length;
    expect(JSON.parse(await call("masc_tasks", { limit: 10 })).tasks).toEqual([]);
    expect(board(reads().slice(mark))).toEqual([]);

    await call("masc_add_task", { title: "first" });
    const now = JSON.parse(await call("masc_status"));
    expect(now.tasks.todo).toBe(1);
    expect(now.last_seq).toBeGreaterThan(status.last_seq);
    expect(JSON.parse(await call("masc_tasks", { limit: 10 })).tasks.map((t: { title: string }) => t.title)).toEqual(["first"]);
    // Other arguments are another call.
    expect(JSON.parse(await call("masc_tasks", { limit: 10, state: "done" })).tasks).toEqual([]);
  });

  it("an agent's activity (its last_seen) leaves cached reads valid; a zombie's revival does not", async () => {
    const { db, queries } = recordingDb();
    const call = async (name: string, at: number) =>
      JSON.parse(((await callTool(tool(name), {}, toolContext(db, at))).content[0] as { text: string }).text);
    const board = (from: number) =>
      queries()
        .slice(from)
        .filter((q) => /FROM (agents a|task_counts|event_counts)/.test(q));
    await callTool(tool("masc_join"), { agent_name: "claude" }, toolContext(db, T0));
    const status = await call("masc_status", T0);
    // Seconds later every call writes the agent's last_seen once more: the next status is still from memory.
    let mark = queries().length;
    expect(await call("masc_status", T0 + 3_000)).toEqual(status);
    expect(
      queries()
        .slice(mark)
        .some((q) => /SET last_seen/.test(q)),
    ).toBe(true);
    mark = queries().length;
    expect(await call("masc_status", T0 + 3_100)).toEqual(status);
    expect(board(mark)).toEqual([]);

    // The sweep made it a zombie; its next call revives it, and status shows that at once.
    db.run("UPDATE agents SET status = 'zombie' WHERE name = 'claude'");
    expect((await call("masc_status", T0 + 3_200)).agents.zombie).toBe(1);
    const revived = await call("masc_status", T0 + 6_000);
    expect(revived.agents).toMatchObject({ active: 0, zombie: 1 });
    expect((await call("masc_status", T0 + 6_100)).agents).toMatchObject({ active: 1, zombie: 0 });
  });

  it("keeps each caller's view apart: a reader is never handed what was read for an admin", async () => {
    const { db, queries: reads } = recordingDb();
    const admin = { agent: "boss", role: "admin", via: "token" } satisfies Caller;
    const reader = { agent: "viewer", role: "reader", via: "token" } satisfies Caller;
    const run = (caller: Caller) => callTool(tool("masc_tasks"), { limit: 5 }, toolContext(db, T0, caller));
    const ranBoard = async (caller: Caller) => {
      const mark = reads().length;
      await run(caller);
      return reads()
        .slice(mark)
        .some((q) => /FROM tasks\b/.test(q));
    };
    // The first call of the room creates the session agent's read cursor (a write): warm up.
    expect(await ranBoard(admin)).toBe(true);
    await run(admin);
    expect(await ranBoard(reader)).toBe(true);
    expect(await ranBoard(reader)).toBe(false);
    expect(await ranBoard(admin)).toBe(false);
  });
});
