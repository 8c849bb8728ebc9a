import { describe, expect, it } from "vitest";
import { RelayCall } from "../../src/mcp/relay-call";
import {
  decodeFrames,
  decodeSseBatch,
  encodeFrame,
  encodeSseBatch,
  joinFrames,
  RELAY_HEADER,
  WAIT_HEADER,
  WAITED_HEADER,
} from "../../src/wire/relay-frames";

const listen = {
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "masc_listen", arguments: { agent_name: "gemini", timeout: 30, limit: 5 } },
};
const post = (headers: Record<string, string>) => new Request("http://room.internal/mcp", { method: "POST", headers });

describe("relay frames", () => {
  it("pair each id with its JSON line (JSON text never holds a raw newline), several to a message", () => {
    const json = JSON.stringify({ body: "two\nlines" });
    expect(decodeFrames(encodeFrame("e12", json))).toEqual([{ id: "e12", json }]);
    expect(decodeFrames(encodeFrame("42", ""))).toEqual([{ id: "42", json: "" }]);
    expect(decodeFrames("42")).toEqual([{ id: "42", json: "" }]);
    // Several frames in one message, a priming one among them, come apart in order.
    expect(decodeFrames(joinFrames([encodeFrame("e1", json), encodeFrame("7", ""), encodeFrame("e2", '{"b":"x\\ny"}')]))).toEqual([
      { id: "e1", json },
      { id: "7", json: "" },
      { id: "e2", json: '{"b":"x\\ny"}' },
    ]);
  });
});

describe("a stream's binary batch", () => {
  it("carries the last id, the count and the SSE bytes as the client gets them", () => {
    const enc = new TextEncoder();
    const events = [enc.encode("id: e1\ndata: {}\n\n"), enc.encode('id: e2\ndata: {"a":"é"}\n\n')];
    const size = events.reduce((n, e) => n + e.length, 0);
    const batch = decodeSseBatch(encodeSseBatch("e2", 2, events, size).buffer as ArrayBuffer);
    expect(batch.lastId).toBe("e2");
    expect(batch.count).toBe(2);
    expect(new TextDecoder().decode(batch.sse)).toBe('id: e1\ndata: {}\n\nid: e2\ndata: {"a":"é"}\n\n');
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
