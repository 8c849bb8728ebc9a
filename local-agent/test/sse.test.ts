import { describe, expect, it } from "vitest";
import { readSse } from "../src/bridge/sse.ts";

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

async function all(body: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const e of readSse(body)) out.push(e);
  return out;
}

describe("server-sent events for the stdio bridge", () => {
  it("reads ids, event names and multi-line data across chunk boundaries, skipping comments", async () => {
    const events = await all(
      stream(": keep-alive\n\nid: e4", '1\nevent: message\ndata: {"a":\n', "data: 1}\n\nid: x\n\ndata: two\r\n\r\n"),
    );
    expect(events).toEqual([
      { id: "e41", event: "message", data: '{"a":\n1}' },
      { id: "x", event: undefined, data: "" },
      { id: undefined, event: undefined, data: "two" },
    ]);
  });
});
