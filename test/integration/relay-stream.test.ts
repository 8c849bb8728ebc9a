import { describe, expect, it } from "vitest";
import { type RelayFraming, relayStream } from "../../src/http/relay-stream";

// The driver both relayed streams share (the GET stream, the 2026 listen stream), over real
// socket pairs: the "room" end is ours, the driver holds the other.

const encoder = new TextEncoder();
const LONG = { maxMs: 60_000, maxEvents: 100 };

/** A socket pair whose room end is accepted, so the test can send and close from it. */
function pair() {
  const { 0: worker, 1: room } = new WebSocketPair();
  room.accept();
  const closed = new Promise<number>((resolve) => room.addEventListener("close", (e) => resolve(e.code)));
  return { worker, room, closed };
}

/** A framing that writes each comma-separated item as `<item>|`, one message each, and resumes after the last. */
function commaFraming(reopen: (after: string) => Promise<Response>, over: Partial<RelayFraming> = {}) {
  const seen = { after: "", reopened: [] as string[] };
  const framing: RelayFraming = {
    opening: () => encoder.encode("open|"),
    ending: () => encoder.encode("end|"),
    endingOnClose: () => true,
    reopen: () => {
      seen.reopened.push(seen.after);
      return reopen(seen.after);
    },
    frame(data, budget, write) {
      const items = String(data).split(",").slice(0, budget);
      seen.after = items.at(-1) ?? seen.after;
      write(encoder.encode(items.map((i) => `${i}|`).join("")));
      return items.length;
    },
    ...over,
  };
  return { framing, seen };
}

/** Reads the stream until `until` holds for what came so far, or to its end. */
async function read(stream: ReadableStream<Uint8Array>, until: (text: string) => boolean = () => false) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, ended: true };
    text += decoder.decode(value);
    if (until(text)) {
      reader.releaseLock();
      return { text, ended: false };
    }
  }
}

describe("relay stream driver", () => {
  it("writes the opening first, then each message as framed; a dropped socket is reopened from the framing's resume point", async () => {
    const first = pair();
    const second = pair();
    const { framing, seen } = commaFraming(async () => new Response(null, { status: 101, webSocket: second.worker }));
    const stream = relayStream(first.worker, framing, LONG);
    first.room.send("a,b");
    // 1001 is no close on purpose (the room went away): the driver reopens.
    first.room.close(1001, "going away");
    second.room.send("c");
    const { text } = await read(stream, (t) => t.includes("c|"));
    expect(text).toBe("open|a|b|c|");
    expect(seen.reopened).toEqual(["b"]);
    await stream.cancel();
    expect(await second.closed).toBe(1000);
  });

  it("ends at the message budget, mid-message, with the ending, and closes the room's socket", async () => {
    const room = pair();
    const { framing } = commaFraming(async () => new Response("unused", { status: 500 }));
    const stream = relayStream(room.worker, framing, { maxMs: 60_000, maxEvents: 3 });
    room.room.send("a,b");
    room.room.send("c,d,e");
    expect(await read(stream)).toEqual({ text: "open|a|b|c|end|", ended: true });
    expect(await room.closed).toBe(1000);
  });

  it("ends on a close the room made on purpose, with the ending only where the framing asks for it, and never reopens", async () => {
    for (const [code, ending] of [
      [4000, false],
      [4401, true],
      [1000, true],
    ] as const) {
      const room = pair();
      const { framing, seen } = commaFraming(async () => new Response("unused", { status: 500 }), {
        endingOnClose: (c) => c !== 4000,
      });
      const stream = relayStream(room.worker, framing, LONG);
      room.room.send("a");
      room.room.close(code, "on purpose");
      expect(await read(stream), String(code)).toEqual({ text: ending ? "open|a|end|" : "open|a|", ended: true });
      expect(seen.reopened, String(code)).toEqual([]);
    }
  });

  it("sends keep-alive comments while idle when the framing asks for them, until the room closes the stream", async () => {
    const room = pair();
    const { framing } = commaFraming(async () => new Response("unused", { status: 500 }), { keepaliveMs: 5 });
    const stream = relayStream(room.worker, framing, LONG);
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (text.split(": keepalive\n\n").length < 3) text += decoder.decode((await reader.read()).value);
    expect(text.startsWith("open|: keepalive\n\n: keepalive\n\n")).toBe(true);
    room.room.close(1000, "done");
    let rest = await reader.read();
    while (!rest.done) rest = await reader.read();
    expect(rest.done).toBe(true);
  });

  it("ends with the ending when the room refuses the reopen, so the client's own retry hears why", async () => {
    const room = pair();
    const { framing, seen } = commaFraming(async () => new Response("session not found", { status: 404 }));
    const stream = relayStream(room.worker, framing, LONG);
    room.room.send("a");
    room.room.close(1011, "broken");
    expect(await read(stream)).toEqual({ text: "open|a|end|", ended: true });
    expect(seen.reopened).toEqual(["a"]);
  });
});
