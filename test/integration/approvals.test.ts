import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { untilStreaming } from "../helpers/agents";
import { modernClient, modernTool } from "../helpers/modern-client";
import { call, connect, modernCallHeaders } from "./mcp";

const inWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));

const ASK = { agent_name: "claude", task_id: "deploy-1", step: 1, action: "wrangler deploy", message: "Ship to production?" };

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

async function rawCall(room: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://localhost/r/${room}/mcp`, {
      method: "POST",
      headers: modernCallHeaders("masc_interrupt", headers),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "masc_interrupt", arguments: ASK, _meta: META, ...params },
      }),
    }),
  );
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text.startsWith("{") ? text : (text.split("data: ").at(-1) ?? "{}")) };
}

/** A 2025-era client that answers elicitation/create with `reply`. */
async function legacyWithForm(room: string, reply: () => Promise<Record<string, unknown>>): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost/r/${room}/mcp`), { fetch: inWorker });
  const client = new Client({ name: "legacy-form", version: "1" }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: (await reply()) as Record<string, string> }));
  await client.connect(transport);
  return client;
}

describe("approvals answered inside the agent's client", () => {
  it("2026-07-28: input_required asks the human, the retry applies the answer once", async () => {
    const asked: string[] = [];
    const agent = await modernClient("http://localhost/r/appr-modern/mcp", {
      fetch: inWorker,
      elicit: (message) => {
        asked.push(message);
        return { decision: "approve" };
      },
    });
    await modernTool(agent, "masc_join", { agent_name: "claude" });
    const out = await modernTool(agent, "masc_interrupt", ASK);
    expect(asked[0]).toContain("Ship to production?");
    expect(out.json).toMatchObject({ decision: "approved", checkpoint: { state: "approved", decided_by: "human via claude's client" } });
    // Decided everywhere: the dashboard's and masc_approve's view agree, and a second decision is refused.
    const { client: human } = await connect("appr-modern", "human", { stream: false });
    expect((await call(human, "masc_pending_interrupts")).json.count).toBe(0);
    expect((await call(human, "masc_reject", { task_id: "deploy-1" })).text).toMatch(
      /^already_decided: .*approved by human via claude's client/,
    );
    await agent.close();
    await human.close();
  });

  it("2026-07-28: when someone decided first, the client's answer is reported as too late", async () => {
    const { client: human } = await connect("appr-race", "human", { stream: false });
    const agent = await modernClient("http://localhost/r/appr-race/mcp", { fetch: inWorker, elicit: () => ({ decision: "approve" }) });
    await modernTool(agent, "masc_join", { agent_name: "claude" });
    const first = await rawCall("appr-race", {});
    expect(first.body.result.resultType).toBe("input_required");
    await call(human, "masc_reject", { task_id: "deploy-1", reason: "freeze" });
    const late = await rawCall("appr-race", {
      requestState: first.body.result.requestState,
      inputResponses: { approval: { action: "accept", content: { decision: "approve" } } },
    });
    expect(JSON.parse(late.body.result.content[0].text)).toMatchObject({ decision: "rejected", already_decided: true });
    await agent.close();
    await human.close();
  });

  it("refuses a tampered, foreign-room or replayed-elsewhere requestState and decides nothing", async () => {
    const agent = await modernClient("http://localhost/r/appr-seal/mcp", { fetch: inWorker });
    await modernTool(agent, "masc_join", { agent_name: "claude" });
    const first = await rawCall("appr-seal", {});
    const state = String(first.body.result.requestState);
    const answer = { approval: { action: "accept", content: { decision: "approve" } } };
    const flipped = `${state.slice(0, -2)}${state.endsWith("AA") ? "BB" : "AA"}`;
    const tampered = await rawCall("appr-seal", { requestState: flipped, inputResponses: answer });
    expect(tampered.body.error.code).toBe(-32602);
    // Another room has its own key: the same state means nothing there.
    const other = await modernClient("http://localhost/r/appr-other/mcp", { fetch: inWorker });
    await modernTool(other, "masc_join", { agent_name: "claude" });
    const foreign = await rawCall("appr-other", { requestState: state, inputResponses: answer });
    expect(foreign.body.error.code).toBe(-32602);
    const { client: human } = await connect("appr-seal", "human", { stream: false });
    expect((await call(human, "masc_pending_interrupts")).json.count).toBe(1);
    await agent.close();
    await other.close();
    await human.close();
  });

  it("2025-11-25: elicitation/create asks the human on the session's stream; the answer decides", async () => {
    const agent = await legacyWithForm("appr-legacy", async () => ({ decision: "reject", reason: "not on Friday" }));
    await call(agent, "masc_join", { agent_name: "claude" });
    await untilStreaming(agent, "claude");
    const out = await call(agent, "masc_interrupt", ASK);
    expect(out.json).toMatchObject({ decision: "rejected", checkpoint: { state: "rejected", reason: "not on Friday" } });
    const { client: human } = await connect("appr-legacy", "human", { stream: false });
    expect((await call(human, "masc_approve", { task_id: "deploy-1" })).text).toMatch(/^already_decided: /);
    await agent.close();
    await human.close();
  });

  it("2025-11-25: the first decision wins over a later answer in the client", async () => {
    const { client: human } = await connect("appr-legacy-race", "human", { stream: false });
    const agent = await legacyWithForm("appr-legacy-race", async () => {
      await call(human, "masc_approve", { task_id: "deploy-1" });
      return { decision: "reject" };
    });
    await call(agent, "masc_join", { agent_name: "claude" });
    await untilStreaming(agent, "claude");
    const out = await call(agent, "masc_interrupt", ASK);
    expect(out.json).toMatchObject({ decision: "approved", already_decided: true });
    await agent.close();
    await human.close();
  });

  it("with auth on, asks in the client only a caller that may approve, and binds the state to that caller", async () => {
    const room = "appr-auth";
    const { client: setup } = await connect(room, "setup", { stream: false });
    for (const a of ["claude", "boss"]) await call(setup, "masc_join", { agent_name: a });
    const secret = (await call(setup, "masc_auth_enable")).json.room_secret as string;
    await setup.close();
    const { client: owner } = await connect(room, "owner", { stream: false, token: secret });
    const worker = (await call(owner, "masc_auth_create_token", { agent_name: "claude", role: "worker" })).json.token as string;
    const admin = (await call(owner, "masc_auth_create_token", { agent_name: "boss", role: "admin" })).json.token as string;

    // A worker's own client could approve its own dangerous step: it is not asked, the step waits.
    const asked: string[] = [];
    const claude = await modernClient(`http://localhost/r/${room}/mcp`, {
      fetch: inWorker,
      headers: { authorization: `Bearer ${worker}` },
      elicit: (m) => {
        asked.push(m);
        return { decision: "approve" };
      },
    });
    const waiting = await modernTool(claude, "masc_interrupt", ASK);
    expect(asked).toEqual([]);
    expect(waiting.json.checkpoint).toMatchObject({ state: "pending" });

    // An admin's client is asked; its state cannot be replayed with another credential.
    const first = await rawCall(
      room,
      { arguments: { ...ASK, agent_name: "boss", task_id: "deploy-2" } },
      { authorization: `Bearer ${admin}` },
    );
    expect(first.body.result.resultType).toBe("input_required");
    const answer = { approval: { action: "accept", content: { decision: "approve" } } };
    const replay = {
      arguments: { ...ASK, agent_name: "boss", task_id: "deploy-2" },
      requestState: first.body.result.requestState,
      inputResponses: answer,
    };
    expect((await rawCall(room, replay, { authorization: `Bearer ${worker}` })).body.error.code).toBe(-32602);
    const decided = await rawCall(room, replay, { authorization: `Bearer ${admin}` });
    expect(JSON.parse(decided.body.result.content[0].text)).toMatchObject({ decision: "approved" });
    expect((await call(owner, "masc_pending_interrupts")).json.pending.map((p: { task_id: string }) => p.task_id)).toEqual(["deploy-1"]);
    await claude.close();
    await owner.close();
  });
});
