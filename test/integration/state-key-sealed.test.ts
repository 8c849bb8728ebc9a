import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect, modernCallHeaders } from "./mcp";

/** Issue 26, finding 9: the requestState HMAC key is sealed at rest like the room's text. */

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

const ask = (taskId: string) => ({ agent_name: "claude", task_id: taskId, step: 1, action: "wrangler deploy", message: "Ship?" });

/** A 2026-07-28 masc_interrupt (a retry when `extra` carries requestState and the answer). */
async function interrupt(room: string, taskId: string, extra: Record<string, unknown> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://localhost/r/${room}/mcp`, {
      method: "POST",
      headers: modernCallHeaders("masc_interrupt"),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "masc_interrupt", arguments: ask(taskId), _meta: META, ...extra },
      }),
    }),
  );
  const text = await res.text();
  return JSON.parse(text.startsWith("{") ? text : (text.split("data: ").at(-1) ?? "{}"));
}

const APPROVE = { approval: { action: "accept", content: { decision: "approve" } } };

/** Asks, then answers with the requestState it got: the decision, proving the key verified it. */
async function approveRound(room: string, taskId: string): Promise<string> {
  const asked = await interrupt(room, taskId);
  expect(asked.result.resultType).toBe("input_required");
  const answered = await interrupt(room, taskId, { requestState: asked.result.requestState, inputResponses: APPROVE });
  return JSON.parse(answered.result.content[0].text).decision;
}

const storedKey = (room: string) =>
  runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
    String(state.storage.sql.exec("SELECT value FROM meta WHERE key = 'request_state_key'").one().value),
  );

async function openRoom(room: string) {
  const { client } = await connect(room, "t", { stream: false });
  await call(client, "masc_switch_mode", { mode: "full" });
  await call(client, "masc_join", { agent_name: "claude" });
  return client;
}

describe("the requestState key at rest", () => {
  it("is stored sealed when encryption is on, and still verifies after the room restarts", async () => {
    const room = "sk-enc";
    const client = await openRoom(room);
    expect((await call(client, "masc_encryption_enable")).json.enabled).toBe(true);
    expect(await approveRound(room, "deploy-1")).toBe("approved");
    const stored = await storedKey(room);
    expect(stored).toMatch(/^enc:/);
    expect(stored).not.toMatch(/[0-9a-f]{64}/);
    const asked = await interrupt(room, "deploy-2");
    await client.close();
    await evictDurableObject(env.ROOM.getByName(room));
    const answered = await interrupt(room, "deploy-2", { requestState: asked.result.requestState, inputResponses: APPROVE });
    expect(JSON.parse(answered.result.content[0].text).decision).toBe("approved");
  });

  it("is sealed when encryption is turned on and opened when it is turned off; a state minted before still verifies", async () => {
    const room = "sk-toggle";
    const client = await openRoom(room);
    const asked = await interrupt(room, "deploy-1");
    const plain = await storedKey(room);
    expect(plain).toMatch(/^[0-9a-f]{64}$/);
    expect((await call(client, "masc_encryption_enable")).json.enabled).toBe(true);
    const sealed = await storedKey(room);
    expect(sealed).toMatch(/^enc:/);
    expect(sealed).not.toContain(plain);
    await client.close();
    await evictDurableObject(env.ROOM.getByName(room));
    const answered = await interrupt(room, "deploy-1", { requestState: asked.result.requestState, inputResponses: APPROVE });
    expect(JSON.parse(answered.result.content[0].text).decision).toBe("approved");
    const again = await openRoom(room);
    expect((await call(again, "masc_encryption_disable")).json.enabled).toBe(false);
    expect(await storedKey(room)).toBe(plain);
    await again.close();
  });
});
