import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const ACCEPT = "application/json, text/event-stream";

async function rpc(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`http://localhost${path}`, {
    method: "POST",
    headers: { accept: ACCEPT, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function initialize(path: string, protocolVersion: string): Promise<{ sid: string; result: Record<string, unknown> }> {
  const res = await rpc(path, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  expect(res.status).toBe(200);
  const sid = res.headers.get("mcp-session-id");
  expect(sid).toBeTruthy();
  const body = (await res.json()) as { result: Record<string, unknown> };
  return { sid: sid as string, result: body.result };
}

describe("MCP protocol over Streamable HTTP", () => {
  for (const version of ["2025-11-25", "2025-06-18", "2025-03-26"]) {
    it(`negotiates protocol ${version} and serves tools to it`, async () => {
      const { sid, result } = await initialize("/r/proto/mcp", version);
      expect(result.protocolVersion).toBe(version);
      expect(result.serverInfo).toMatchObject({ name: "masc" });
      expect(result.capabilities).toMatchObject({ tools: { listChanged: true }, logging: {} });
      const list = await rpc(
        "/r/proto/mcp",
        { jsonrpc: "2.0", id: 2, method: "tools/list" },
        { "mcp-session-id": sid, "mcp-protocol-version": version },
      );
      const tools = ((await list.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
      expect(tools).toContain("masc_claim_next");
    });
  }

  it("rejects an unsupported MCP-Protocol-Version header with 400", async () => {
    const { sid } = await initialize("/r/proto/mcp", "2025-11-25");
    const res = await rpc(
      "/r/proto/mcp",
      { jsonrpc: "2.0", id: 2, method: "ping" },
      { "mcp-session-id": sid, "mcp-protocol-version": "1999-01-01" },
    );
    expect(res.status).toBe(400);
  });

  it("answers ping and logging/setLevel", async () => {
    const { sid } = await initialize("/r/proto/mcp", "2025-11-25");
    const h = { "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
    const ping = (await (await rpc("/r/proto/mcp", { jsonrpc: "2.0", id: 3, method: "ping" }, h)).json()) as { result: unknown };
    expect(ping.result).toEqual({});
    const level = (await (
      await rpc("/r/proto/mcp", { jsonrpc: "2.0", id: 4, method: "logging/setLevel", params: { level: "warning" } }, h)
    ).json()) as {
      result: unknown;
    };
    expect(level.result).toEqual({});
  });

  it("gives 404 for an unknown session and after DELETE", async () => {
    const unknown = await rpc("/r/proto/mcp", { jsonrpc: "2.0", id: 1, method: "ping" }, { "mcp-session-id": "nope" });
    expect(unknown.status).toBe(404);
    const { sid } = await initialize("/r/proto/mcp", "2025-11-25");
    const del = await exports.default.fetch("http://localhost/r/proto/mcp", { method: "DELETE", headers: { "mcp-session-id": sid } });
    expect(del.status).toBe(200);
    const after = await rpc("/r/proto/mcp", { jsonrpc: "2.0", id: 2, method: "ping" }, { "mcp-session-id": sid });
    expect(after.status).toBe(404);
  });

  it("requires a session id on anything but initialize", async () => {
    const res = await rpc("/r/proto/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Mcp-Session-Id");
  });

  it("answers a body that is not JSON with a JSON-RPC parse error", async () => {
    const res = await exports.default.fetch("http://localhost/r/proto/mcp", {
      method: "POST",
      headers: { accept: ACCEPT, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it("refuses an unknown tool as a protocol error and a room name it cannot route", async () => {
    const { sid } = await initialize("/r/proto/mcp", "2025-11-25");
    const res = await rpc(
      "/r/proto/mcp",
      { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "masc_nope", arguments: {} } },
      { "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
    );
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("masc_nope");
    const bad = await exports.default.fetch("http://localhost/r/bad%20room/mcp", { method: "POST", body: "{}" });
    expect(bad.status).toBe(400);
  });

  it("pushes room events on the GET stream with resumable event ids", async () => {
    const { sid } = await initialize("/r/proto-get/mcp", "2025-11-25");
    const h = { "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
    const res = await exports.default.fetch("http://localhost/r/proto-get/mcp", { headers: { accept: "text/event-stream", ...h } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    await rpc(
      "/r/proto-get/mcp",
      { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "masc_add_task", arguments: { title: "pushed" } } },
      h,
    );
    const reader = res.body?.getReader();
    let text = "";
    while (!text.includes("task_added")) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    // A pushed room event is resumable by its seq.
    expect(text).toMatch(/id: e\d+\ndata: .*notifications\/message.*task_added/);
    await reader?.cancel();
  });
});
