/**
 * `node bench/sdk-push.ts [--events=20000]`: the CPU the official SDK v1 client spends on each
 * notification pushed on its GET stream, with no server in the way. The client's transport reads a
 * stream of ready SSE bytes (built before the clock starts), so what is timed is only the client:
 * SSE parsing, JSON, the transport's and the protocol's schema checks. Two event sizes (a room's
 * `task_added` as the room sends it, and a bare one) and two groupings (one event per network
 * chunk, twenty per chunk) tell which of them the cost follows. The main bench runs twenty such
 * clients on the same cores as the server (decision 0034).
 */

import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { RoomEvent } from "../src/room/events.ts";
import { sseText } from "../src/wire/sse.ts";

const { values: flags } = parseArgs({ options: { events: { type: "string", default: "20000" } } });
const N = Number(flags.events);

/** A room's task_added event, as the room pushes it. */
function taskAdded(seq: number): RoomEvent {
  return {
    seq,
    ts: 1_796_068_496_350 + seq,
    kind: "task_added",
    actor: "agent-3",
    target: null,
    body: null,
    data: {
      task_id: `task-${seq}`,
      title: `task 3 ${seq} fix the login`,
      state: "todo",
      assignee: null,
      priority: 3,
      version: 1,
      from_state: null,
    },
  };
}

function bare(seq: number): RoomEvent {
  return { seq, ts: 0, kind: "task_added", actor: "a", target: null, body: null, data: {} };
}

function frames(make: (seq: number) => RoomEvent, perChunk: number): Uint8Array[] {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (let seq = 1; seq <= N; seq += perChunk) {
    let text = "";
    for (let s = seq; s < seq + perChunk && s <= N; s++) {
      // The frame of eventLog (src/mcp/event-store.ts), which Node cannot load without a build step.
      const params = { level: "info", logger: "masc", data: make(s) };
      text += sseText({ id: `e${s}`, data: JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params }) });
    }
    chunks.push(encoder.encode(text));
  }
  return chunks;
}

/** µs of this process's CPU per notification, from the first chunk to the last message handled. */
async function measure(chunks: Uint8Array[]): Promise<number> {
  let feed: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      feed = controller;
    },
  });
  const fetchStub: typeof fetch = async (_url, init) => {
    if ((init?.method ?? "GET") === "GET") return new Response(body, { headers: { "content-type": "text/event-stream" } });
    const msg = JSON.parse(String(init?.body)) as { id?: number; method: string };
    if (msg.method !== "initialize") return new Response(null, { status: 202 });
    const result = { protocolVersion: "2025-06-18", capabilities: { logging: {} }, serverInfo: { name: "stub", version: "1" } };
    return Response.json({ jsonrpc: "2.0", id: msg.id, result }, { headers: { "mcp-session-id": "s" } });
  };
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), { fetch: fetchStub });
  const client = new Client({ name: "sdk-push", version: "1.0.0" });
  await client.connect(transport);
  let handled = 0;
  const { promise: all, resolve: finished } = Promise.withResolvers<void>();
  // Counted after the client's own handling, which does no more than in the bench (no handler is set).
  const inner = transport.onmessage;
  transport.onmessage = (message) => {
    inner?.(message);
    if (++handled === N) finished();
  };
  const before = process.cpuUsage();
  for (const chunk of chunks) feed?.enqueue(chunk);
  await all;
  const used = process.cpuUsage(before);
  await client.close();
  return (used.user + used.system) / N;
}

const rows: string[] = [];
for (const [label, make] of [
  ["task_added as pushed", taskAdded],
  ["bare event", bare],
] as const) {
  for (const perChunk of [1, 20]) {
    const chunks = frames(make, perChunk);
    const bytes = chunks.reduce((n, c) => n + c.length, 0) / N;
    await measure(chunks); // warm-up: compiled code, not first runs
    const us = await measure(chunks);
    rows.push(`| ${label} | ${bytes.toFixed(0)} | ${perChunk} | ${us.toFixed(1)} |`);
  }
}
console.log(
  [
    `Official SDK v1 client (@modelcontextprotocol/sdk), Node ${process.version}, ${N} notifications a row:`,
    "",
    "| event | bytes each | events per chunk | client CPU µs per notification |",
    "|---|---:|---:|---:|",
    ...rows,
  ].join("\n"),
);
process.exit(0);
