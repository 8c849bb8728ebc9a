import { CLOSE, decodeFrames, decodeSseBatch } from "../wire/relay-frames";
import { sseEvent, sseText } from "../wire/sse";
import { type RelayFraming, relayStream, type StreamLimits } from "./relay-stream";

/** Sent with priming events and when a stream ends on a limit: the client resumes after this. */
export const RETRY_MS = 1000;

/** Opens a relay socket to the room resuming after `lastEventId`; a non-101 answer is the room's refusal. */
export type Reopen = (lastEventId: string | null) => Promise<Response>;

const encoder = new TextEncoder();

/**
 * A session's GET stream relayed from the room. Live messages arrive as ready SSE bytes, a
 * publication at a time, and are forwarded as they are; a replay arrives as text frames, framed
 * here. A reopened socket resumes after the last id forwarded; a limit ends the stream with a
 * `retry:` hint and the client resumes with `Last-Event-ID` on a fresh invocation.
 */
export function sseFromRelay(
  first: WebSocket,
  reopen: Reopen,
  limits: StreamLimits,
  resumeFrom: string | null,
): ReadableStream<Uint8Array> {
  let lastId = resumeFrom;
  const framing: RelayFraming = {
    ending: () => sseEvent({ retry: RETRY_MS }),
    // Replaced by a newer stream of the same session: that one goes on, this one just ends.
    endingOnClose: (code) => code !== CLOSE.replaced,
    reopen: () => reopen(lastId),
    frame(data, budget, write) {
      if (typeof data !== "string") {
        // Live messages come as SSE bytes ready for the client: forwarded as they are.
        const batch = decodeSseBatch(data);
        lastId = batch.lastId;
        write(batch.sse);
        return batch.count;
      }
      let text = "";
      let count = 0;
      for (const { id, json } of decodeFrames(data)) {
        lastId = id;
        text += sseText(json ? { id, data: json } : { id, retry: RETRY_MS, data: "" });
        // Priming events carry no message and do not count.
        if (json && ++count >= budget) break;
      }
      write(encoder.encode(text));
      return count;
    },
  };
  return relayStream(first, framing, limits);
}
