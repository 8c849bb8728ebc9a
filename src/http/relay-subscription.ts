import { decodeFrames, SUBSCRIBE_HEADER, type Subscription, type SubscriptionAnswer } from "../wire/relay-frames";
import { sseEvent, sseText } from "../wire/sse";
import { closeQuietly, relaySocketHeaders, reopenRelay } from "./relay-socket";
import type { StreamLimits } from "./relay-sse";

const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type OpenSubscription = (subscription: Subscription) => Promise<Response>;

export function subscriptionHeaders(base: Headers, subscription: Subscription): Headers {
  return relaySocketHeaders(base, "subscription", SUBSCRIBE_HEADER, subscription);
}

/**
 * A `subscriptions/listen` stream held by the Worker (decision 0019): the acknowledgement first,
 * then each notification the room sends on the relay socket (each frame carries the seq it covers,
 * so a dropped socket is reopened after it), keep-alive comments while idle, and on a limit the
 * listen request's result, which ends the subscription cleanly for the client to listen again.
 */
export function subscriptionStream(
  first: WebSocket,
  answer: SubscriptionAnswer,
  reopen: OpenSubscription,
  limits: StreamLimits,
): ReadableStream<Uint8Array> {
  let socket = first;
  let after = answer.subscription.after;
  let forwarded = 0;
  let done = false;
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let lifetime: ReturnType<typeof setTimeout> | null = null;
  let keepalive: ReturnType<typeof setInterval> | null = null;
  const write = (json: string) => out.enqueue(sseEvent({ event: "message", data: json }));

  const finish = (complete: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(lifetime);
    clearInterval(keepalive);
    try {
      if (complete) write(answer.complete);
      out.close();
    } catch {
      // The client already left.
    }
    closeQuietly(socket, 1000, "subscription ended");
  };

  const reconnect = async () => {
    const ws = await reopenRelay(
      () => reopen({ ...answer.subscription, after }),
      () => done,
    );
    if (!ws) return finish(true);
    socket = ws;
    attach(ws);
  };

  const attach = (ws: WebSocket) => {
    ws.accept();
    let gone = false;
    ws.addEventListener("message", (m) => {
      if (done || ws !== socket) return;
      let text = "";
      let full = false;
      for (const { id, json } of decodeFrames(typeof m.data === "string" ? m.data : decoder.decode(m.data as ArrayBuffer))) {
        after = Math.max(after, Number(id) || 0);
        text += sseText({ event: "message", data: json });
        if (++forwarded >= limits.maxEvents) {
          full = true;
          break;
        }
      }
      out.enqueue(encoder.encode(text));
      if (full) finish(true);
    });
    const dropped = (code: number) => {
      if (done || gone || ws !== socket) return;
      gone = true;
      // The room ended it on purpose (credential revoked …): end the subscription.
      if (code === 1000 || code >= 4000) finish(true);
      else void reconnect();
    };
    ws.addEventListener("close", (e) => dropped(e.code));
    ws.addEventListener("error", () => dropped(1006));
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      write(answer.ack);
      attach(first);
      lifetime = setTimeout(() => finish(true), limits.maxMs);
      keepalive = setInterval(() => !done && out.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
    },
    cancel() {
      done = true;
      clearTimeout(lifetime);
      clearInterval(keepalive);
      closeQuietly(socket, 1000, "subscription ended");
    },
  });
}
