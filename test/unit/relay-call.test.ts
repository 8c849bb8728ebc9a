import { describe, expect, it } from "vitest";
import { RelayCall } from "../../src/mcp/relay-call";
import { decodeFrame, encodeFrame, RELAY_HEADER, WAIT_HEADER, WAITED_HEADER } from "../../src/room/relay-frames";

const listen = {
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "masc_listen", arguments: { agent_name: "gemini", timeout: 30, limit: 5 } },
};
const post = (headers: Record<string, string>) => new Request("http://room.internal/mcp", { method: "POST", headers });

describe("relay frames", () => {
  it("split at the first newline only, so the JSON may contain any text", () => {
    const json = JSON.stringify({ body: "two\nlines" });
    expect(decodeFrame(encodeFrame("e12", json))).toEqual({ id: "e12", json });
    expect(decodeFrame(encodeFrame("42", ""))).toEqual({ id: "42", json: "" });
  });
});

describe("RelayCall", () => {
  it("defers only single calls that came through the Worker's relay", () => {
    expect(RelayCall.of(post({}), listen)).toBeUndefined();
    expect(RelayCall.of(post({ [RELAY_HEADER]: "call" }), listen)?.canDefer).toBe(true);
    expect(RelayCall.of(post({ [RELAY_HEADER]: "call" }), [listen])).toBeUndefined();
  });

  it("reads what the Worker's wait came to, and ignores malformed values", () => {
    expect(RelayCall.of(post({ [WAITED_HEADER]: "1500,1" }), listen)?.waited).toEqual({ ms: 1500, timedOut: true });
    expect(RelayCall.of(post({ [WAITED_HEADER]: "-1,1" }), listen)).toBeUndefined();
    expect(RelayCall.of(post({ [WAITED_HEADER]: "12,yes" }), listen)).toBeUndefined();
  });

  it("answers a deferred wait with what to wait for and the same call to repeat, since fixed and no timeout", async () => {
    const relay = RelayCall.of(post({ [RELAY_HEADER]: "call" }), listen) as RelayCall;
    const wait = { agent: "gemini", after: 9, scope: "messages" as const, timeout_ms: 30_000 };
    relay.defer(wait);
    expect(relay.deferred).toBe(true);
    const res = relay.answer(listen);
    expect(res.headers.get(WAIT_HEADER)).toBe("1");
    expect(await res.json()).toEqual({
      wait,
      retry: { ...listen, params: { name: "masc_listen", arguments: { agent_name: "gemini", timeout: 0, limit: 5, since: 9 } } },
    });
  });
});
