import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const ROOM = "gql";

async function gql(
  query: string,
  variables?: Record<string, unknown>,
  path = `/r/${ROOM}/graphql`,
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its own query asked for.
): Promise<{ status: number; body: any }> {
  const res = await exports.default.fetch(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

describe("read-only GraphQL", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "seed", { stream: false });
    for (const n of ["claude", "gemini", "codex"]) await call(client, "masc_join", { agent_name: n });
    await call(client, "masc_batch_add_tasks", {
      tasks: Array.from({ length: 5 }, (_, i) => ({ title: `task ${i + 1}`, priority: (i % 3) + 1 })),
    });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    for (let i = 0; i < 3; i++) await call(client, "masc_broadcast", { agent_name: "claude", message: `@gemini note ${i}` });
    await client.close();
  });

  it("runs the original README's status query as written", async () => {
    const { status, body } = await gql("{ status { project paused } }");
    expect(status).toBe(200);
    expect(body).toEqual({ data: { status: { project: ROOM, paused: false } } });
  });

  it("runs the original README's tasks connection query as written and pages to the end", async () => {
    const q = "{ tasks(first: 2) { totalCount edges { cursor node { id title status { status } } } pageInfo { hasNextPage endCursor } } }";
    const { body } = await gql(q);
    expect(body.data.tasks.totalCount).toBe(5);
    expect(body.data.tasks.edges[0]).toEqual({
      cursor: btoa("task:task-001"),
      node: { id: "task-001", title: "task 1", status: { status: "claimed" } },
    });
    const seen: string[] = body.data.tasks.edges.map((e: { node: { id: string } }) => e.node.id);
    let page = body.data.tasks.pageInfo;
    while (page.hasNextPage) {
      const next = await gql(
        "query($after: String) { tasks(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }",
        {
          after: page.endCursor,
        },
      );
      seen.push(...next.body.data.tasks.edges.map((e: { node: { id: string } }) => e.node.id));
      page = next.body.data.tasks.pageInfo;
    }
    expect(seen).toEqual(["task-001", "task-002", "task-003", "task-004", "task-005"]);
  });

  it("runs the original README's agents and messages queries as written", async () => {
    const agents = await gql("{ agents(first: 5) { edges { node { name status currentTask lastSeen } } totalCount } }");
    expect(agents.body.data.agents.totalCount).toBe(3);
    expect(agents.body.data.agents.edges.find((e: { node: { name: string } }) => e.node.name === "claude").node).toMatchObject({
      status: "busy",
      currentTask: "task-001",
    });
    const messages = await gql(
      "{ messages(first: 10) { edges { cursor node { seq from content timestamp } } pageInfo { endCursor hasNextPage } } }",
    );
    const nodes = messages.body.data.messages.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.map((n: { content: string }) => n.content)).toEqual(["@gemini note 0", "@gemini note 1", "@gemini note 2"]);
    expect(nodes[0]).toMatchObject({ from: "claude" });
    expect(messages.body.data.messages.pageInfo.hasNextPage).toBe(false);
  });

  it("serves the default room at /graphql and filters where natural", async () => {
    expect((await gql("{ status { project } }", undefined, "/graphql")).body.data.status.project).toBe("default");
    const claimed = await gql('{ tasks(status: "claimed") { totalCount edges { node { id } } } }');
    expect(claimed.body.data.tasks.totalCount).toBe(1);
  });

  it("answers a bad cursor with a GraphQL error naming it", async () => {
    const { body } = await gql('{ tasks(after: "not-a-cursor") { totalCount } }');
    expect(body.errors[0].message).toContain("invalid cursor 'not-a-cursor'");
    expect(body.errors[0].extensions.code).toBe("BAD_CURSOR");
    const wrongKind = await gql(`{ tasks(after: "${btoa("agent:claude")}") { totalCount } }`);
    expect(wrongKind.body.errors[0].extensions.code).toBe("BAD_CURSOR");
  });

  it("refuses mutations, subscriptions, too-deep and too-large queries", async () => {
    const mutation = await gql('mutation { addTask(title: "x") { id } }');
    expect(mutation.status).toBe(400);
    expect(mutation.body.errors[0]).toMatchObject({ extensions: { code: "READ_ONLY" } });
    expect((await gql("subscription { events }")).body.errors[0].extensions.code).toBe("READ_ONLY");
    const deep = await gql("{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }");
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toMatch(/nested \d+ levels deep; the limit is 8/);
    const big = await gql(`{ ${"status { project } ".repeat(700)} }`);
    expect(big.body.errors[0].extensions.code).toBe("QUERY_TOO_LARGE");
    expect((await gql("{ nope }")).body.errors[0].message).toContain("nope");
    const put = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, { method: "PUT" });
    expect(put.status).toBe(404);
  });

  it("serves GraphiQL on GET, pointed at the room's endpoint and opened with the original's sample query", async () => {
    const res = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-endpoint="/r/${ROOM}/graphql"`);
    expect(html).toContain('data-query="{ status { project paused } }"');
    expect(html).toContain('src="/_static/graphiql.js"');
    expect(html).not.toMatch(/https?:\/\//);
    expect(await (await exports.default.fetch("http://localhost/graphql")).text()).toContain('data-endpoint="/graphql"');
    expect((await exports.default.fetch("http://localhost/r/bad%20room/graphql")).status).toBe(400);
  });
});
