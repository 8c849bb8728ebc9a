import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { modernPlainCallOf } from "../../src/mcp/modern/plain-call";
import { modernClient } from "../helpers/modern-client";
import { call, connect, mintTokens, modernCallHeaders } from "./mcp";

const ROOM = "era-plain";
const tokens: Record<string, string> = {};

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

/**
 * The SDK takes `Mcp-Name` Base64-encoded too (SEP-2243) and serves the call the same; the plain
 * recognizer wants it verbatim, so this header sends the very same body through the SDK's handler.
 */
const sdkName = (tool: string) => ({ "mcp-name": `=?base64?${btoa(tool)}?=` });

function request(token: string, tool: string, args: unknown, extra: Record<string, string> = {}): { req: Request; body: unknown } {
  const body = { jsonrpc: "2.0", id: 41, method: "tools/call", params: { name: tool, arguments: args, _meta: META } };
  const headers = modernCallHeaders(tool, { authorization: `Bearer ${token}`, ...extra });
  return { req: new Request(`http://localhost/r/${ROOM}/mcp`, { method: "POST", headers, body: JSON.stringify(body) }), body };
}

/** Everything a client sees of one answer: status, headers, body. */
async function exchange(req: Request) {
  const res = await exports.default.fetch(req);
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), text, body: JSON.parse(text) };
}

/** One call sent twice, first answered beside the SDK, then by it; both answers. */
async function both(token: string, tool: string, args: unknown) {
  const plain = request(token, tool, args);
  const sdk = request(token, tool, args, sdkName(tool));
  const taken = { plain: modernPlainCallOf(plain.req, plain.body) !== undefined, sdk: modernPlainCallOf(sdk.req, sdk.body) !== undefined };
  return { taken, plain: await exchange(plain.req), sdk: await exchange(sdk.req) };
}

describe("plain 2026-07-28 tool calls, answered beside the SDK", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["ann", "rita", "bob"]) await call(client, "masc_join", { agent_name: a });
    // Something for ann to be told about: her results carry a second block with the unread hint.
    expect((await call(client, "masc_broadcast", { agent_name: "bob", message: "@ann hello" })).isError).toBe(false);
    const secret = (await call(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, secret, { ann: "worker", rita: "reader" }));
  }, 30_000);

  it.each([
    ["a success with the unread hint in a second block", "ann", "masc_status", {}, 2],
    ["a success", "rita", "masc_who", {}, 1],
    ["a tool error (claiming a missing task)", "ann", "masc_claim", { agent_name: "ann", task_id: "task-404" }, 1],
    ["a reader refused by role", "rita", "masc_add_task", { title: "x" }, 1],
    ["bad arguments", "ann", "masc_add_task", { title: 5 }, 1],
  ])("answers %s exactly as the SDK does", async (_what, agent, tool, args, blocks) => {
    const { taken, plain, sdk } = await both(tokens[agent] as string, tool, args);
    expect(taken).toEqual({ plain: true, sdk: false });
    expect(plain).toEqual(sdk);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(plain.body.result.content).toHaveLength(blocks);
    expect(plain.body.result.resultType).toBe("complete");
    expect(plain.body.result._meta["io.modelcontextprotocol/serverInfo"].name).toBe("masc");
  });

  it("refuses a prototype key in the arguments as the shared check does on the SDK's path", async () => {
    const { taken, plain, sdk } = await both(tokens.ann as string, "masc_status", JSON.parse('{"__proto__":{"x":1}}'));
    expect(taken).toEqual({ plain: true, sdk: false });
    expect(plain).toEqual(sdk);
    expect([plain.status, plain.body.error.code, plain.body.id]).toEqual([400, -32602, 41]);
    expect(plain.body.error.message).toContain("arguments.__proto__");
  });

  it("leaves an unknown tool to the SDK, whatever the header", async () => {
    const { taken, plain, sdk } = await both(tokens.ann as string, "masc_nope", {});
    expect(taken).toEqual({ plain: false, sdk: false });
    expect(plain).toEqual(sdk);
    expect(plain.body.error.code).toBe(-32602);
  });

  it("recognizes the official v2 client's calls", async () => {
    const seen: boolean[] = [];
    const client = await modernClient(`http://localhost/r/${ROOM}/mcp`, {
      headers: { authorization: `Bearer ${tokens.ann}` },
      fetch: async (input, init) => {
        const req = new Request(input, init);
        const body = req.method === "POST" ? await req.clone().json() : undefined;
        if ((body as { method?: string } | undefined)?.method === "tools/call") seen.push(modernPlainCallOf(req, body) !== undefined);
        return exports.default.fetch(req);
      },
    });
    const result = await client.callTool({ name: "masc_status", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([true]);
    await client.close();
  });
});
