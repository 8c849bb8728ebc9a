import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { until } from "../helpers/until";
import { call, connect } from "./mcp";

async function agent(room: string, name: string) {
  const { client } = await connect(room, name);
  const inbox = collect(client);
  expect((await call(client, "masc_join", { agent_name: name })).isError).toBe(false);
  await untilStreaming(client, name);
  return { client, inbox };
}

describe("broadcast and push", () => {
  it("pushes a mention only to the mentioned agent's session, and @all to everyone", async () => {
    const room = "push-mention";
    const [claude, gemini, codex] = await Promise.all(["claude", "gemini", "codex"].map((n) => agent(room, n)));
    if (!claude || !gemini || !codex) throw new Error("agents");
    const sent = await call(claude.client, "masc_broadcast", { agent_name: "claude", message: "@gemini please review <b>this</b>" });
    expect(sent.json).toMatchObject({ sent: true, mention: "gemini", mentions: ["gemini"] });
    const got = await gemini.inbox.next((e) => e.kind === "broadcast");
    expect(got).toMatchObject({ seq: sent.json.seq, actor: "claude", target: "gemini", body: "@gemini please review <b>this</b>" });
    const all = await call(claude.client, "masc_broadcast", { agent_name: "claude", message: "@all standup" });
    await codex.inbox.next((e) => e.seq === all.json.seq);
    await gemini.inbox.next((e) => e.seq === all.json.seq);
    expect(codex.inbox.events.some((e) => e.seq === sent.json.seq)).toBe(false);
    await Promise.all([claude, gemini, codex].map((a) => a.client.close()));
  });

  it("hints unread messages on any result, then goes silent once read", async () => {
    const room = "hint";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b } = await connect(room, "b", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini one" });
    await call(a, "masc_broadcast", { agent_name: "claude", message: "two" });
    const status = await call(b, "masc_status");
    expect(status.hints).toEqual(["[masc] 2 unread for gemini (1 mention) — masc_messages or masc_listen"]);
    // The result itself stays machine-readable: the hint never joins its JSON text.
    expect(JSON.parse(status.text)).toMatchObject({ room: expect.anything() });
    const page = await call(b, "masc_messages", { agent_name: "gemini" });
    expect(page.json.messages.map((m: { content: string }) => m.content)).toEqual(["@gemini one", "two"]);
    expect(page.hints).toEqual([]);
    const receipts = await call(a, "masc_messages", { since_seq: 0 });
    expect(receipts.json.messages[0]).toMatchObject({ from: "claude", read_by: ["gemini"], delivered_to: ["gemini"] });
    expect((await call(a, "masc_status")).hints).toEqual([]);
    await a.close();
    await b.close();
  });

  it("refuses a message over 8000 characters naming the field, storing nothing", async () => {
    const { client } = await connect("too-long", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const r = await call(client, "masc_broadcast", { agent_name: "claude", message: "x".repeat(8001) });
    expect(r.isError).toBe(true);
    expect(r.text).toContain("message: must be at most 8000 characters");
    expect((await call(client, "masc_messages", {})).json.count).toBe(0);
    await client.close();
  });
});

describe("masc_listen", () => {
  it("wakes when a message for me arrives, mentions first", async () => {
    const room = "listen-wake";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b } = await connect(room, "b", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    const listening = call(b, "masc_listen", { agent_name: "gemini", timeout: 20 });
    // The room lists the waiting agent once its listen has arrived.
    await until(async () => ((await call(a, "masc_who")).json.listening.includes("gemini") ? true : undefined), "gemini listening");
    expect((await call(a, "masc_who")).json.listening).toEqual(["gemini"]);
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini wake up" });
    const got = await listening;
    // Woken by the message, not by its 20 s timeout.
    expect(got.json).toMatchObject({ count: 1, mentions: 1, timed_out: false });
    expect(got.json.events[0]).toMatchObject({ from: "claude", content: "@gemini wake up" });
    const again = await call(b, "masc_listen", { agent_name: "gemini", timeout: 0 });
    expect(again.json.count).toBe(0);
    await a.close();
    await b.close();
  });

  it("ignores messages for others and times out", async () => {
    const room = "listen-timeout";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b } = await connect(room, "b", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    await call(a, "masc_join", { agent_name: "codex" });
    const t0 = Date.now();
    const listening = call(b, "masc_listen", { agent_name: "gemini", timeout: 2 });
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@codex not for gemini" });
    const got = await listening;
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(6000);
    expect(got.json).toMatchObject({ count: 0, timed_out: true });
    await a.close();
    await b.close();
  });

  it("returns at once what is already unread", async () => {
    const { client } = await connect("listen-now", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_join", { agent_name: "gemini" });
    await call(client, "masc_broadcast", { agent_name: "claude", message: "earlier" });
    const got = await call(client, "masc_listen", { agent_name: "gemini", timeout: 60 });
    expect(got.json).toMatchObject({ count: 1, timed_out: false });
    expect(got.json.waited_ms).toBeLessThan(1000);
    await client.close();
  });
});
