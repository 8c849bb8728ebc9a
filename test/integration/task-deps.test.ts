import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { call, connect } from "./mcp";

const id = (n: number) => `task-${String(n).padStart(3, "0")}`;

async function gql(room: string, query: string) {
  const res = await exports.default.fetch(`http://localhost/r/${room}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as {
    data: { tasks: { edges: { node: { id: string; blocked: boolean; blockedBy: string[]; blocking: string[] } }[] } };
  };
}

describe("task dependencies through the tools", () => {
  it("links a batch by '#N', refuses bad references adding nothing, and shows links on every surface", async () => {
    const room = "deps-show";
    const { client } = await connect(room, "lead", { stream: false });
    await call(client, "masc_join", { agent_name: "lead" });
    const batch = await call(client, "masc_batch_add_tasks", {
      tasks: [{ title: "api" }, { title: "schema" }, { title: "ui", blocked_by: ["#0", "#1"] }],
    });
    expect(batch.isError).toBe(false);
    expect(batch.json.tasks[2]).toMatchObject({ id: id(3), blocked: true, blocked_by: [id(1), id(2)], blocking: [] });

    const later = await call(client, "masc_batch_add_tasks", { tasks: [{ title: "x", blocked_by: ["#1"] }, { title: "y" }] });
    expect(later.isError).toBe(true);
    expect(later.text).toBe("invalid_input: tasks[0].blocked_by: '#1' must name an earlier item of this batch (the first item has none)");
    const unknown = await call(client, "masc_batch_add_tasks", { tasks: [{ title: "x" }, { title: "y", blocked_by: ["task-404"] }] });
    expect(unknown.text).toMatch(/^task_not_found: no task 'task-404' in this room/);
    const garbage = await call(client, "masc_add_task", { title: "z", blocked_by: ["../etc"] });
    expect(garbage.text).toMatch(/^invalid_input: masc_add_task: blocked_by/);
    const listed = await call(client, "masc_tasks", {});
    expect(listed.json.total).toBe(3);

    const one = listed.json.tasks.find((t: { id: string }) => t.id === id(1));
    expect(one).toMatchObject({ blocked: false, blocked_by: [], blocking: [id(3)] });
    const read = await client.readResource({ uri: "masc://tasks" });
    const resource = JSON.parse(String((read.contents[0] as { text: string }).text));
    expect(resource.tasks[2]).toMatchObject({ id: id(3), blocked: true, blocked_by: [id(1), id(2)] });
    const graph = await gql(room, "{ tasks(first: 10) { edges { node { id blocked blockedBy blocking } } } }");
    expect(graph.data.tasks.edges.map((e) => e.node)).toEqual([
      { id: id(1), blocked: false, blockedBy: [], blocking: [id(3)] },
      { id: id(2), blocked: false, blockedBy: [], blocking: [id(3)] },
      { id: id(3), blocked: true, blockedBy: [id(1), id(2)], blocking: [] },
    ]);
    await client.close();
  });

  it("changes links with masc_task_deps, refusing a cycle with its path and ids of another room", async () => {
    const room = "deps-edit";
    const { client } = await connect(room, "lead", { stream: false });
    await call(client, "masc_join", { agent_name: "lead" });
    await call(client, "masc_batch_add_tasks", {
      tasks: [{ title: "a" }, { title: "b", blocked_by: ["#0"] }, { title: "c", blocked_by: ["#1"] }],
    });
    const { client: other } = await connect("deps-elsewhere", "x", { stream: false });
    await call(other, "masc_join", { agent_name: "x" });
    await call(other, "masc_batch_add_tasks", { tasks: Array.from({ length: 5 }, (_, i) => ({ title: `elsewhere ${i}` })) });

    const cycle = await call(client, "masc_task_deps", { task_id: id(1), add: [id(3)] });
    expect(cycle.isError).toBe(true);
    expect(cycle.text).toBe(
      "dependency_cycle: task-001 cannot wait for task-003: task-001 → task-003 → task-002 → task-001 would wait in a circle (each waits for the next)",
    );
    const self = await call(client, "masc_task_deps", { task_id: id(2), add: [id(2)] });
    expect(self.text).toMatch(/^dependency_cycle: task-002 cannot wait for task-002: task-002 → task-002/);
    // task-005 exists in the other room only.
    const foreign = await call(client, "masc_task_deps", { task_id: id(3), add: [id(1), id(5)] });
    expect(foreign.text).toMatch(/^task_not_found: no task 'task-005' in this room/);
    const notList = await call(client, "masc_task_deps", { task_id: id(3), add: id(1) });
    expect(notList.text).toMatch(/^invalid_input: masc_task_deps: add/);
    const badId = await call(client, "masc_task_deps", { task_id: "-rf", remove: [id(1)] });
    expect(badId.text).toMatch(/^invalid_input: masc_task_deps: task_id/);
    const both = await call(client, "masc_task_deps", { task_id: id(3), add: [id(1)], remove: [id(1)] });
    expect(both.text).toMatch(/^invalid_input: add and remove both name task-001/);
    const unchanged = await call(client, "masc_task_deps", { task_id: id(3) });
    expect(unchanged.json).toMatchObject({ blocked_by: [id(2)], blocking: [], blocked: true, waiting_for: [id(2)] });

    const moved = await call(client, "masc_task_deps", { task_id: id(3), add: [id(1)], remove: [id(2)] });
    expect(moved.json).toMatchObject({ added: [id(1)], removed: [id(2)], blocked_by: [id(1)], waiting_for: [id(1)] });
    // A link added twice is one link: removing it once frees the task.
    expect((await call(client, "masc_task_deps", { task_id: id(3), add: [id(1)] })).json).toMatchObject({ added: [], blocked_by: [id(1)] });
    const free = await call(client, "masc_task_deps", { task_id: id(3), remove: [id(1)] });
    expect(free.json).toMatchObject({ blocked_by: [], blocked: false });
    await client.close();
    await other.close();
  });

  it("refuses to claim a blocked task, and pushes task_unblocked mentioning the assignee when the blocker is done", async () => {
    const room = "deps-push";
    const { client: lead } = await connect(room, "lead", { stream: false });
    const { client: ui } = await connect(room, "ui");
    const inbox = collect(ui);
    await call(lead, "masc_join", { agent_name: "claude" });
    await call(ui, "masc_join", { agent_name: "gemini" });
    await untilStreaming(ui, "gemini");
    await call(lead, "masc_batch_add_tasks", { tasks: [{ title: "api" }, { title: "ui" }] });
    await call(ui, "masc_claim", { agent_name: "gemini", task_id: id(2) });
    await call(lead, "masc_task_deps", { task_id: id(2), add: [id(1)] });
    await call(lead, "masc_add_task", { title: "docs", blocked_by: [id(1)] });

    const refused = await call(ui, "masc_claim", { agent_name: "gemini", task_id: id(3) });
    expect(refused.text).toBe("task_blocked: task task-003 waits for task-001; finish those first or take another with masc_claim_next");
    const next = await call(ui, "masc_claim_next", { agent_name: "gemini" });
    expect(next.json.claimed).toBe(id(1));
    await call(ui, "masc_release", { agent_name: "gemini", task_id: id(1) });

    await call(lead, "masc_claim", { agent_name: "claude", task_id: id(1) });
    await call(lead, "masc_done", { agent_name: "claude", task_id: id(1) });
    const pushed = await inbox.next((e) => e.kind === "task_unblocked");
    expect(pushed.data).toEqual({
      blocker: id(1),
      unblocked: [
        { task_id: id(2), assignee: "gemini" },
        { task_id: id(3), assignee: null },
      ],
      mentions: ["gemini"],
    });
    expect((await call(ui, "masc_claim", { agent_name: "gemini", task_id: id(3) })).json.claimed).toBe(id(3));
    await lead.close();
    await ui.close();
  });
});
