import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect, mintTokens } from "./mcp";

const ROOM = "search-privacy";
const tokens: Record<string, string> = {};
let mentionSeq = 0;

describe("threads and search keep private text private", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["ann", "bob", "carol"]) await call(client, "masc_join", { agent_name: a });
    const secret = (await call(client, "masc_auth_enable", {})).json.room_secret;
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, secret, { ann: "worker", bob: "worker", carol: "reader" }));
    const { client: ann } = await connect(ROOM, "ann", { stream: false, token: tokens.ann });
    await call(ann, "masc_switch_mode", { mode: "full" });
    const root = await call(ann, "masc_broadcast", { agent_name: "ann", message: "public wombat question" });
    mentionSeq = (await call(ann, "masc_broadcast", { agent_name: "ann", message: "@bob the wombat key is 42", reply_to: root.json.seq }))
      .json.seq;
    await call(ann, "masc_portal_open", { agent_name: "ann", target_agent: "bob", initial_message: "wombat dm secret" });
    await ann.close();
  }, 30_000);

  it("a reader finds neither another agent's mention nor a portal message; the mentioned agent finds the mention", async () => {
    const { client: carol } = await connect(ROOM, "carol", { stream: false, token: tokens.carol });
    const mine = await call(carol, "masc_search", { query: "wombat" });
    expect(mine.json.hits.map((h: { ref: string }) => h.ref)).not.toContain(String(mentionSeq));
    expect(mine.text).not.toMatch(/key is 42|dm secret/);
    const thread = await call(carol, "masc_messages", { thread: mentionSeq });
    expect(thread.text).not.toContain("key is 42");
    expect(thread.json.messages).toHaveLength(1);
    await carol.close();
    const { client: bob } = await connect(ROOM, "bob", { stream: false, token: tokens.bob });
    const his = await call(bob, "masc_search", { query: "wombat" });
    expect(his.json.hits.map((h: { ref: string }) => h.ref)).toContain(String(mentionSeq));
    expect(his.text).not.toContain("dm secret");
    await bob.close();
  });

  it("GraphQL messages(thread:) shows a reader only what it may see", async () => {
    const res = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.carol}` },
      body: JSON.stringify({ query: `{ messages(thread: ${mentionSeq - 1}) { edges { node { seq content replyTo } } } }` }),
    });
    const text = await res.text();
    expect(text).toContain("public wombat question");
    expect(text).not.toContain("key is 42");
  });
});
