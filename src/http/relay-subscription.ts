import { decodeFrames, SUBSCRIBE_HEADER, type Subscription, type SubscriptionAnswer } from "../wire/relay-frames";
import { sseEvent, sseText } from "../wire/sse";
import { relaySocketHeaders } from "./relay-socket";
import { relayStream, type StreamLimits } from "./relay-stream";

const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type OpenSubscription = (subscription: Subscription) => Promise<Response>;

export function subscriptionHeaders(base: Headers, subscription: Subscription): Headers {
  return relaySocketHeaders(base, "subscription", SUBSCRIBE_HEADER, subscription);
}

const message = (json: string) => sseEvent({ event: "message", data: json });

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
  let after = answer.subscription.after;
  return relayStream(
    first,
    {
      opening: () => message(answer.ack),
      ending: () => message(answer.complete),
      // The room ended it on purpose (credential revoked …): the client still gets the result.
      endingOnClose: () => true,
      reopen: () => reopen({ ...answer.subscription, after }),
      keepaliveMs: KEEPALIVE_MS,
      frame(data, budget, write) {
        let text = "";
        let count = 0;
        for (const { id, json } of decodeFrames(typeof data === "string" ? data : decoder.decode(data))) {
          after = Math.max(after, Number(id) || 0);
          text += sseText({ event: "message", data: json });
          if (++count >= budget) break;
        }
        write(encoder.encode(text));
        return count;
      },
    },
    limits,
  );
}
