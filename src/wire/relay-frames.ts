/**
 * The wire between the Worker and a room's relay sockets (decisions 0019, 0029). The room writes
 * what a socket gets, already filtered for its session: live stream messages as SSE bytes the
 * Worker forwards untouched, replays and listen-stream notifications as text frames it re-frames.
 */

/** Which relay a socket is: a session's GET stream, or one masc_listen wait. */
export type RelayKind = "sse" | "listen";

/** Set by the Worker on internal requests; stripped from client requests, so the room trusts it. */
export const RELAY_HEADER = "x-masc-relay";
/** On a room's answer to a tool call: the Worker waits on a relay socket, then asks again. */
export const WAIT_HEADER = "x-masc-wait";
/** On the repeated call: how long the Worker waited, and whether it timed out (`ms,0|1`). */
export const WAITED_HEADER = "x-masc-waited";

/** On a room's answer to `subscriptions/listen`: the Worker holds the stream, fed by a relay socket. */
export const SUBSCRIBE_HEADER = "x-masc-subscribe";

/** The frame that wakes a masc_listen wait. */
export const WAKE = "wake";

/** Close codes the room uses on purpose; the Worker ends the client's stream on them. */
export const CLOSE = {
  /** A newer GET stream of the same session took over. */
  replaced: 4000,
  /** The session was deleted or is gone. */
  sessionGone: 4004,
  /** The credential that opened the stream no longer holds. */
  revoked: 4401,
} as const;

/** An SSE message as the room sends it: its event id, a newline, the JSON-RPC message (empty: priming). */
export function encodeFrame(id: string, json: string): string {
  return `${id}\n${json}`;
}

/**
 * One socket message carrying several frames, in order: a busy room sends each stream one message
 * per publication. Neither an id nor single-line JSON holds a newline, so lines pair up.
 */
export function joinFrames(frames: readonly string[]): string {
  return frames.join("\n");
}

export function decodeFrames(message: string): Array<{ id: string; json: string }> {
  const lines = message.split("\n");
  const frames: Array<{ id: string; json: string }> = [];
  for (let i = 0; i < lines.length; i += 2) frames.push({ id: lines[i] ?? "", json: lines[i + 1] ?? "" });
  return frames;
}

/**
 * A stream's live messages of one publication as one binary socket message: a header line
 * `<last id> <count>` and then the SSE events exactly as the client gets them, so the Worker
 * forwards the bytes without decoding, re-framing or encoding them again.
 */
export function encodeSseBatch(lastId: string, count: number, events: readonly Uint8Array[], size: number): Uint8Array {
  const head = textEncoder.encode(`${lastId} ${count}\n`);
  const out = new Uint8Array(head.length + size);
  out.set(head, 0);
  let at = head.length;
  for (const e of events) {
    out.set(e, at);
    at += e.length;
  }
  return out;
}

export function decodeSseBatch(message: ArrayBuffer): { lastId: string; count: number; sse: Uint8Array } {
  const bytes = new Uint8Array(message);
  const nl = bytes.indexOf(10);
  const [lastId = "", count = "0"] = textDecoder.decode(bytes.subarray(0, nl)).split(" ");
  return { lastId, count: Number(count), sse: bytes.subarray(nl + 1) };
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** What a masc_listen wait waits for, from the room to the Worker and back on the relay socket. */
export interface ListenWait {
  agent: string;
  /** Events after this seq count. */
  after: number;
  scope: "messages" | "all";
  timeout_ms: number;
  /** Waits for the answer to this approval question instead of for events (src/mcp/approval-asks.ts). */
  ask?: string;
}

/** A 2026-07-28 listen stream the Worker holds: what the room needs to feed it, and its own frames. */
export interface Subscription {
  /** The listen request's id: the subscriptionId on every notification. */
  id: string | number;
  /** The filter as acknowledged. */
  honored: { resourceSubscriptions?: string[] };
  /** Room changes after this seq are still to be told. */
  after: number;
}

/** The room's answer that hands a listen stream to the Worker. */
export interface SubscriptionAnswer {
  subscription: Subscription;
  /** The acknowledgement notification, sent first, once. */
  ack: string;
  /** The result that ends the stream cleanly (the Worker sends it when a limit is reached). */
  complete: string;
}

/** Closes a socket that may already be closed (by the other side, or a drop). */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}
