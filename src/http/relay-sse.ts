import { CLOSE, decodeFrames, decodeSseBatch } from "../wire/relay-frames";
import { sseEvent, sseText } from "../wire/sse";
import { closeQuietly, reopenRelay } from "./relay-socket";

/** How long and how much one Worker invocation relays a stream before it asks the client to resume. */
export interface StreamLimits {
  maxMs: number;
  maxEvents: number;
}

/** Sent with priming events and when a stream ends on a limit: the client resumes after this. */
export const RETRY_MS = 1000;

export function streamLimits(env: Partial<Env>): StreamLimits {
  const num = (v: unknown, fallback: number) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
  return {
    maxMs: num(env.MASC_STREAM_MAX_S, 900) * 1000,
    maxEvents: num(env.MASC_STREAM_MAX_EVENTS, 10_000),
  };
}

/** Opens a relay socket to the room resuming after `lastEventId`; a non-101 answer is the room's refusal. */
export type Reopen = (lastEventId: string | null) => Promise<Response>;

const encoder = new TextEncoder();

/**
 * An SSE body fed by relay sockets. Live messages arrive as ready SSE bytes, a publication at a
 * time, and are forwarded as they are; a replay arrives as text frames, framed here. When the
 * relay socket drops under it (the room restarted, the connection broke), it opens a new
 * one with the last id it forwarded, so the client sees one unbroken stream. When a limit of this
 * invocation is reached, the stream ends with a `retry:` hint and the client resumes with
 * `Last-Event-ID` on a fresh invocation.
 */
export function sseFromRelay(
  first: WebSocket,
  reopen: Reopen,
  limits: StreamLimits,
  resumeFrom: string | null,
): ReadableStream<Uint8Array> {
  let socket = first;
  let lastId = resumeFrom;
  let forwarded = 0;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let out!: ReadableStreamDefaultController<Uint8Array>;

  const finish = (retry: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    try {
      if (retry) out.enqueue(sseEvent({ retry: RETRY_MS }));
      out.close();
    } catch {
      // The client already left.
    }
    closeQuietly(socket, 1000, "stream ended");
  };

  const reconnect = async () => {
    const ws = await reopenRelay(
      () => reopen(lastId),
      () => done,
    );
    if (!ws) return finish(true);
    socket = ws;
    attach(ws);
  };

  const attach = (ws: WebSocket) => {
    ws.accept();
    // Live batches are binary: read them as bytes, not as Blobs (the standard default).
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (m) => {
      if (done || ws !== socket) return;
      if (typeof m.data !== "string") {
        // Live messages come as SSE bytes ready for the client: forwarded as they are.
        const batch = decodeSseBatch(m.data as ArrayBuffer);
        lastId = batch.lastId;
        out.enqueue(batch.sse);
        forwarded += batch.count;
        if (forwarded >= limits.maxEvents) finish(true);
        return;
      }
      let text = "";
      let full = false;
      for (const { id, json } of decodeFrames(m.data)) {
        lastId = id;
        text += sseText(json ? { id, data: json } : { id, retry: RETRY_MS, data: "" });
        // Priming events carry no message and do not count.
        if (json && ++forwarded >= limits.maxEvents) {
          full = true;
          break;
        }
      }
      out.enqueue(encoder.encode(text));
      if (full) finish(true);
    });
    let gone = false;
    // A broken socket can report both `close` and `error`: act on the first.
    const dropped = (code: number) => {
      if (done || gone || ws !== socket) return;
      gone = true;
      // The room closed it on purpose (replaced, revoked, session gone): the stream ends here.
      if (code === 1000 || code >= 4000) finish(code !== CLOSE.replaced);
      else void reconnect();
    };
    ws.addEventListener("close", (e) => dropped(e.code));
    ws.addEventListener("error", () => dropped(1006));
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      attach(first);
      timer = setTimeout(() => finish(true), limits.maxMs);
    },
    cancel() {
      done = true;
      clearTimeout(timer);
      closeQuietly(socket, 1000, "client left");
    },
  });
}
