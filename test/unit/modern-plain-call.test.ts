import { describe, expect, it } from "vitest";
import { modernPlainCallOf } from "../../src/mcp/modern/plain-call";

const VERSION = "io.modelcontextprotocol/protocolVersion";
const CAPS = "io.modelcontextprotocol/clientCapabilities";
const INFO = "io.modelcontextprotocol/clientInfo";
const LEVEL = "io.modelcontextprotocol/logLevel";
const META = { [VERSION]: "2026-07-28", [CAPS]: {}, [INFO]: { name: "c", version: "1" } };

const headers = (tool = "masc_status", extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "mcp-protocol-version": "2026-07-28",
  "mcp-method": "tools/call",
  "mcp-name": tool,
  ...extra,
});
const req = (h: Record<string, string> = headers()) => new Request("https://room.internal/r/x/mcp", { method: "POST", headers: h });
const call = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { _meta: META, ...params },
  ...extra,
});

describe("plain 2026-07-28 tool calls answered beside the SDK", () => {
  it("takes a well-formed call of a known tool, with or without arguments", () => {
    expect(modernPlainCallOf(req(), call({ name: "masc_status", arguments: {} }))).toEqual({ id: 7, name: "masc_status", arguments: {} });
    expect(modernPlainCallOf(req(), call({ name: "masc_status" }))?.arguments).toBeUndefined();
    expect(modernPlainCallOf(req(), call({ name: "masc_status" }, { id: "a" }))?.id).toBe("a");
    // Without clientInfo (a SHOULD), with a log level that sends no log lines, a charset on the type.
    expect(modernPlainCallOf(req(), call({ name: "masc_status", _meta: { [VERSION]: "2026-07-28", [CAPS]: {} } }))).toBeDefined();
    expect(modernPlainCallOf(req(), call({ name: "masc_status", _meta: { ...META, [LEVEL]: "warning" } }))).toBeDefined();
    expect(
      modernPlainCallOf(req(headers("masc_status", { "content-type": "application/json; charset=utf-8" })), call({ name: "masc_status" })),
    ).toBeDefined();
    // The envelope's verdict is remembered for short envelopes, judged afresh for long ones: same answer.
    const long = { ...META, [INFO]: { name: "c", version: "1", description: "x".repeat(5000) } };
    const badLong = { ...META, [INFO]: { name: "c", description: "x".repeat(5000) } };
    for (let i = 0; i < 2; i++) {
      expect(modernPlainCallOf(req(), call({ name: "masc_status" }))).toBeDefined();
      expect(modernPlainCallOf(req(), call({ name: "masc_status", _meta: long }))).toBeDefined();
      expect(modernPlainCallOf(req(), call({ name: "masc_status", _meta: badLong }))).toBeUndefined();
    }
  });

  it("leaves everything unusual to the SDK, so its refusals and extras stay its own", () => {
    const status = (params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
      call({ name: "masc_status", ...params }, extra);
    const leftToSdk: Array<[Request, unknown]> = [
      [req(), [status()]],
      [req(), status({}, { extra: 1 })],
      [req(), status({}, { id: 1.5 })],
      [req(), status({}, { id: null })],
      [req(), status({ extra: 1 })],
      [req(), status({ arguments: [] })],
      [req(), status({ requestState: "s" })],
      [req(), status({ inputResponses: {} })],
      [req(), status({ _meta: { ...META, progressToken: 1 } })],
      [req(), status({ _meta: { ...META, trace: "x" } })],
      [req(), status({ _meta: { ...META, [LEVEL]: "info" } })],
      [req(), status({ _meta: { ...META, [LEVEL]: "loud" } })],
      [req(), status({ _meta: { ...META, [VERSION]: "2099-01-01" } })],
      [req(), status({ _meta: { [VERSION]: "2026-07-28" } })],
      [req(), status({ _meta: { ...META, [CAPS]: [] } })],
      [req(), status({ _meta: { ...META, [INFO]: { name: "c" } } })],
      [req(), status({ _meta: undefined })],
      [req(headers("masc_nope")), call({ name: "masc_nope" })],
      [req(headers("test_logging_tool")), call({ name: "test_logging_tool" })],
      [req(headers("masc_listen")), call({ name: "masc_listen", arguments: {} })],
      [req(headers("masc_interrupt")), call({ name: "masc_interrupt", arguments: {} })],
      [req(headers("masc_status", { "mcp-name": `=?base64?${btoa("masc_status")}?=` })), status()],
      [req(headers("masc_tasks")), status()],
      [req(headers("masc_status", { "mcp-method": "tools/list" })), status()],
      [req(headers("masc_status", { "mcp-protocol-version": "2025-11-25" })), status()],
      [req(headers("masc_status", { "content-type": "text/plain" })), status()],
      [req({ "content-type": "application/json", "mcp-method": "tools/call", "mcp-name": "masc_status" }), status()],
    ];
    for (const [r, body] of leftToSdk) expect(modernPlainCallOf(r, body), JSON.stringify(body)).toBeUndefined();
  });
});
