import { closeQuietly, reopenRelay } from "./relay-socket";

/** How long and how much one Worker invocation relays a stream before it asks the client to resume. */
export interface StreamLimits {
  maxMs: number;
  maxEvents: number;
}

export function streamLimits(env: Partial<Env>): StreamLimits {
  const num = (v: unknown, fallback: number) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : fallback);
  return {
    maxMs: num(env.MASC_STREAM_MAX_S, 900) * 1000,
    maxEvents: num(env.MASC_STREAM_MAX_EVENTS, 10_000),
  };
}

/** What sets one relayed stream apart from another: its framing, its resume point and its ending. */
export interface RelayFraming {
  /** Written once, before anything the room sends (a listen stream's acknowledgement). */
  opening?(): Uint8Array;
  /** Written when the stream ends on a limit or a drop it could not mend: the client's cue to resume. */
  ending(): Uint8Array;
  /** Whether the room closing the socket on purpose with `code` still writes the ending. */
  endingOnClose(code: number): boolean;
  /**
   * Writes one socket message to the client as SSE, at most `budget` messages of it, and moves the
   * resume point past what it wrote. Returns how many messages count against the stream's limit.
   */
  frame(data: string | ArrayBuffer, budget: number, write: (bytes: Uint8Array) => void): number;
  /** Opens a relay socket again, resuming after the last message framed. */
  reopen(): Promise<Response>;
  /** Comment lines sent this often while the stream is open (ms), so idle proxies keep it. */
  keepaliveMs?: number;
}

const encoder = new TextEncoder();

/**
 * A client's SSE body fed by relay sockets (decision 0019). When the socket drops under it (the
 * room restarted, the connection broke), it opens a new one from the framing's resume point, so
 * the client sees one unbroken stream. A close the room made on purpose (1000, 4xxx) ends the
 * stream; so does a limit of this invocation, with the framing's ending for the client to resume
 * on a fresh one.
 */
export function relayStream(first: WebSocket, framing: RelayFraming, limits: StreamLimits): ReadableStream<Uint8Array> {
  let socket = first;
  let forwarded = 0;
  let done = false;
  let lifetime: ReturnType<typeof setTimeout> | null = null;
  let keepalive: ReturnType<typeof setInterval> | null = null;
  let out!: ReadableStreamDefaultController<Uint8Array>;
  const write = (bytes: Uint8Array) => out.enqueue(bytes);

  const stop = () => {
    done = true;
    clearTimeout(lifetime);
    clearInterval(keepalive);
  };

  const finish = (withEnding: boolean) => {
    if (done) return;
    stop();
    try {
      if (withEnding) out.enqueue(framing.ending());
      out.close();
    } catch {
      // The client already left.
    }
    closeQuietly(socket, 1000, "stream ended");
  };

  const reconnect = async () => {
    const ws = await reopenRelay(
      () => framing.reopen(),
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
      forwarded += framing.frame(m.data as string | ArrayBuffer, limits.maxEvents - forwarded, write);
      if (forwarded >= limits.maxEvents) finish(true);
    });
    let gone = false;
    // A broken socket can report both `close` and `error`: act on the first.
    const dropped = (code: number) => {
      if (done || gone || ws !== socket) return;
      gone = true;
      if (code === 1000 || code >= 4000) finish(framing.endingOnClose(code));
      else void reconnect();
    };
    ws.addEventListener("close", (e) => dropped(e.code));
    ws.addEventListener("error", () => dropped(1006));
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      if (framing.opening) write(framing.opening());
      attach(first);
      lifetime = setTimeout(() => finish(true), limits.maxMs);
      const every = framing.keepaliveMs;
      // A fresh chunk each time: a chunk handed to the client's stream is not ours to send again.
      if (every) keepalive = setInterval(() => !done && write(encoder.encode(": keepalive\n\n")), every);
    },
    cancel() {
      stop();
      closeQuietly(socket, 1000, "client left");
    },
  });
}
