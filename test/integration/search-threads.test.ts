import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

/** Every cell of the search index's tables, including FTS5's shadow tables, as text. */
async function indexText(room: string): Promise<string> {
  return runInDurableObject(env.ROOM.getByName(room), (_i, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_index%'")
      .toArray();
    return tables
      .flatMap((t) => sql.exec(`SELECT * FROM ${t.name}`).toArray())
      .flatMap((row) => Object.values(row).map((v) => (v instanceof ArrayBuffer ? new TextDecoder("latin1").decode(v) : String(v))))
      .join("\n");
  });
}

describe("threads and search over MCP", () => {
  it("links replies, returns a thread in order with receipts, pushes mentions, and GraphQL shows replyTo", async () => {
    const room = "threads";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_join", { agent_name: "bob" });
    const root = await call(client, "masc_broadcast", { agent_name: "ann", message: "invoice module: cents or decimals?" });
    await call(client, "masc_broadcast", { agent_name: "bob", message: "unrelated" });
    const reply = await call(client, "masc_broadcast", { agent_name: "bob", message: "@ann cents", reply_to: root.json.seq });
    expect(reply.json).toMatchObject({ reply_to: root.json.seq, thread: root.json.seq, mention: "ann" });
    const thread = await call(client, "masc_messages", { thread: reply.json.seq });
    expect(thread.json.thread).toBe(root.json.seq);
    expect(thread.json.messages.map((m: { content: string }) => m.content)).toEqual(["invoice module: cents or decimals?", "@ann cents"]);
    expect(thread.json.messages[1]).toMatchObject({ reply_to: root.json.seq, from: "bob", to: "ann", delivered_to: expect.any(Array) });
    const bad = await call(client, "masc_broadcast", { agent_name: "bob", message: "x", reply_to: 999 });
    expect(bad.text).toMatch(/^not_found: reply_to 999 is not a broadcast/);

    const res = await exports.default.fetch(
      new Request(`http://localhost/r/${room}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ messages(thread: ${root.json.seq}) { edges { node { seq replyTo thread content } } } }` }),
      }),
    );
    const body = (await res.json()) as { data: { messages: { edges: Array<{ node: { seq: number; replyTo: number | null } }> } } };
    expect(body.data.messages.edges.map((e) => [e.node.seq, e.node.replyTo])).toEqual([
      [root.json.seq, null],
      [reply.json.seq, root.json.seq],
    ]);
    await client.close();
  });

  it("searches ranked with snippets and pages, and refuses FTS syntax errors without changing anything", async () => {
    const { client } = await connect("search", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_add_task", { title: "Invoice export", description: "CSV for accounting" });
    await call(client, "masc_broadcast", { agent_name: "ann", message: "we decided: invoices keep cents" });
    await call(client, "masc_broadcast", { agent_name: "ann", message: "invoice invoice invoice" });
    const found = await call(client, "masc_search", { query: "invoice*", limit: 2 });
    expect(found.json).toMatchObject({ has_more: true, next_cursor: "2" });
    expect(found.json.hits[0]).toMatchObject({ kind: "message", snippet: expect.stringContaining("[invoice]") });
    const next = await call(client, "masc_search", { query: "invoice*", limit: 2, cursor: found.json.next_cursor });
    expect(next.json.hits).toHaveLength(1);
    expect((await call(client, "masc_search", { query: "accounting", kinds: ["task"] })).json.hits).toMatchObject([{ ref: "task-001" }]);
    const bad = await call(client, "masc_search", { query: '"cents' });
    expect(bad.text).toMatch(/^invalid_input: query '"cents' is not valid search syntax/);
    expect((await call(client, "masc_search", { query: "x", kinds: ["portal"] })).text).toMatch(/^invalid_input: masc_search: kinds/);
    await client.close();
  });

  it("with encryption at rest no plaintext reaches the index, and search says nothing sealed is searchable", async () => {
    const room = "search-enc";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_broadcast", { agent_name: "ann", message: "the vault phrase is purple-otter" });
    await call(client, "masc_add_task", { title: "zebra ledger rotation" });
    expect(await indexText(room)).toContain("otter");
    expect((await call(client, "masc_encryption_enable")).isError).toBe(false);
    await call(client, "masc_broadcast", { agent_name: "ann", message: "okapi secret after enable" });
    await call(client, "masc_add_task", { title: "okapi task", description: "quokka" });
    const text = await indexText(room);
    for (const word of ["otter", "zebra", "okapi", "quokka", "vault"]) expect(text).not.toContain(word);
    expect((await call(client, "masc_search", { query: "okapi" })).json).toMatchObject({
      hits: [],
      searchable: expect.stringMatching(/^nothing/),
    });
    expect((await call(client, "masc_encryption_disable")).isError).toBe(false);
    expect((await call(client, "masc_search", { query: "okapi" })).json.hits).toHaveLength(2);
    await client.close();
  });
});
