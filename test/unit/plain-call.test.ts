import { PROTOCOL_VERSION_META_KEY } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { plainCallOf, plainLegacyCallOf } from "../../src/mcp/plain-call";

const HEADERS = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-11-25",
  "mcp-session-id": "s1",
};
const req = (headers: Record<string, string> = HEADERS) => new Request("https://room.internal/r/x/mcp", { method: "POST", headers });
const call = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params,
  ...extra,
});

describe("plain tool calls answered beside the SDK", () => {
  it("takes the official client's tools/call", () => {
    expect(plainCallOf(req(), call({ name: "masc_status", arguments: {} }))).toEqual({
      id: 7,
      params: { name: "masc_status", arguments: {} },
    });
    expect(plainCallOf(req(), call({ name: "masc_status", _meta: { trace: "x" } }))?.id).toBe(7);
  });

  it("leaves everything unusual to the SDK, so its refusals stay its own", () => {
    const leftToSdk = [
      [req(), [call({ name: "masc_status" })]],
      [req(), call({ name: "masc_status", _meta: { progressToken: 1 } })],
      [req(), call({ name: "masc_status", extra: 1 })],
      [req(), call({ name: "masc_status" }, { extra: 1 })],
      [req(), call({ name: "masc_nope" })],
      [req(), call({ name: "masc_listen", arguments: {} })],
      [req(), call({ name: "masc_status", arguments: [] })],
      [req(), { ...call({ name: "masc_status" }), id: null }],
      [req(), { ...call({ name: "masc_status" }), jsonrpc: "1.0" }],
      [req({ ...HEADERS, accept: "application/json" }), call({ name: "masc_status" })],
      [req({ ...HEADERS, "content-type": "text/plain" }), call({ name: "masc_status" })],
      [req({ ...HEADERS, "mcp-protocol-version": "1999-01-01" }), call({ name: "masc_status" })],
      [req({ ...HEADERS, "mcp-protocol-version": "2026-07-28" }), call({ name: "masc_status" })],
    ] as const;
    for (const [r, body] of leftToSdk) expect(plainCallOf(r, body), JSON.stringify(body)).toBeUndefined();
  });

  it("calls a plain call legacy only without a 2026-07-28 envelope claim", () => {
    expect(plainLegacyCallOf(req(), call({ name: "masc_status" }))).toEqual(plainCallOf(req(), call({ name: "masc_status" })));
    expect(plainLegacyCallOf(req(), call({ name: "masc_status" }))).toBeDefined();
    expect(plainLegacyCallOf(req(), call({ name: "masc_status", _meta: { [PROTOCOL_VERSION_META_KEY]: "2026-07-28" } }))).toBeUndefined();
    expect(plainLegacyCallOf(req(), { jsonrpc: "2.0", id: 1, method: "initialize", params: {} })).toBeUndefined();
  });
});
