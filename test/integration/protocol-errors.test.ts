import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const ACCEPT = "application/json, text/event-stream";
const PATH = "/r/proto-errors/mcp";
let headers: Record<string, string> = {};

/** Sends raw text, so keys like __proto__ reach the server exactly as a client wrote them. */
async function send(text: string, extra = headers): Promise<Response> {
  return exports.default.fetch(`http://localhost${PATH}`, {
    method: "POST",
    headers: { accept: ACCEPT, "content-type": "application/json", ...extra },
    body: text,
  });
}

type RpcReply = { id: unknown; error?: { code: number; message: string }; result?: { content: Array<{ text: string }> } };

async function reply(text: string): Promise<RpcReply> {
  const res = await send(text);
  expect(res.status).toBe(200);
  return (await res.json()) as RpcReply;
}

const call = (id: number, params: string) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":${params}}`;

describe("JSON-RPC errors name the field", () => {
  beforeAll(async () => {
    const init = await send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
      {},
    );
    headers = { "mcp-session-id": init.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
    await init.text();
    await (await send('{"jsonrpc":"2.0","method":"notifications/initialized"}')).text();
    await (await send(call(1, '{"name":"masc_switch_mode","arguments":{"mode":"full"}}'))).text();
  }, 30_000);

  it("answers a tool name that is not a string with -32602 naming params.name", async () => {
    const r = await reply(call(2, '{"name":42,"arguments":{}}'));
    expect(r.id).toBe(2);
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toBe("Invalid params for tools/call: params.name: must be a string, not the number 42");
  });

  it("answers arguments given as a list with -32602 naming params.arguments", async () => {
    const r = await reply(call(3, '{"name":"masc_status","arguments":[1,2]}'));
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toContain("params.arguments");
    expect(r.error?.message).not.toContain("\n");
  });

  it("refuses unknown fields, __proto__ and constructor included, naming them, and changes nothing", async () => {
    const cases: Array<[string, string]> = [
      ['{"name":"masc_add_task","arguments":{"title":"x"},"extra":1}', "params: unknown field(s) extra"],
      ['{"name":"masc_add_task","arguments":{"title":"x","__proto__":{"admin":true}}}', "params.arguments.__proto__"],
      ['{"name":"masc_add_task","arguments":{"title":"x","constructor":{"prototype":{}}}}', "params.arguments.constructor"],
      ['{"name":"masc_add_task","__proto__":{"x":1},"arguments":{"title":"x"}}', "params.__proto__"],
    ];
    for (const [params, field] of cases) {
      const r = await reply(call(4, params));
      expect(r.error?.code, params).toBe(-32602);
      expect(r.error?.message, params).toContain(field);
    }
    const tasks = await reply(call(5, '{"name":"masc_tasks","arguments":{}}'));
    expect(JSON.parse(tasks.result?.content[0]?.text ?? "{}").tasks).toEqual([]);
  });

  it("answers an empty batch with Invalid Request, and a batch with a bad message with its error only", async () => {
    const empty = await send("[]");
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as RpcReply).error?.code).toBe(-32600);
    const batch = await send(`[${call(6, '{"name":"masc_status","arguments":{}}')},${call(7, '{"name":7}')}]`);
    const errors = (await batch.json()) as RpcReply[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ id: 7, error: { code: -32602 } });
  });

  it("checks params of the other methods too", async () => {
    const r = await reply('{"jsonrpc":"2.0","id":8,"method":"logging/setLevel","params":{"level":"loud"}}');
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toContain("params.level");
    const list = await reply('{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"cursor":5}}');
    expect(list.error?.message).toContain("params.cursor");
  });
});
