import { RELAY_HEADER, SUBSCRIBE_HEADER, type Subscription, type SubscriptionAnswer } from "../../wire/relay-frames";

const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
const SERVER_INFO = "io.modelcontextprotocol/serverInfo";

/** Whether this request is a `subscriptions/listen` the Worker can hold for the room. */
export function isRelayedListen(req: Request, body: unknown): boolean {
  return (
    req.headers.get(RELAY_HEADER) === "call" &&
    !Array.isArray(body) &&
    (body as { method?: unknown } | null)?.method === "subscriptions/listen"
  );
}

/** The JSON of the first SSE event in `text`, once it is complete. */
function firstEvent(text: string): string | null {
  const end = text.indexOf("\n\n");
  if (end < 0) return null;
  const data = text
    .slice(0, end)
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).trimStart());
  return data.join("\n");
}

/**
 * Hands a listen stream the SDK opened over to the Worker (decision 0019). The SDK checked the
 * request and wrote the acknowledgement (with the honored filter); the room keeps none of its
 * stream, and answers the Worker with the acknowledgement, the subscription to feed over a relay
 * socket, and the result that ends it. A refusal, or a filter that honors nothing (the SDK ends
 * those at once), goes back unchanged.
 */
export async function handOffListen(
  res: Response,
  body: { id: string | number },
  after: number,
  serverInfo: { name: string; version: string },
): Promise<Response> {
  if (!res.ok || !res.body || !res.headers.get("content-type")?.includes("text/event-stream")) return res;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let ack: string | null = null;
  while (ack === null) {
    const { value, done } = await reader.read();
    if (value) text += decoder.decode(value, { stream: true });
    ack = firstEvent(text);
    if (done) break;
  }
  const honored = (JSON.parse(ack ?? "{}") as { params?: { notifications?: Subscription["honored"] } }).params?.notifications ?? {};
  if (ack === null || Object.keys(honored).length === 0) {
    // Nothing to feed: what the SDK wrote (acknowledgement, result) is the whole stream.
    for (;;) {
      const { value, done } = await reader.read();
      if (value) text += decoder.decode(value, { stream: true });
      if (done) break;
    }
    return new Response(text, { status: res.status, headers: res.headers });
  }
  // Tears down the SDK's subscription: from here the relay socket carries it.
  await reader.cancel();
  const complete = JSON.stringify({
    jsonrpc: "2.0",
    id: body.id,
    result: { resultType: "complete", _meta: { [SUBSCRIPTION_ID]: body.id, [SERVER_INFO]: serverInfo } },
  });
  const answer: SubscriptionAnswer = { subscription: { id: body.id, honored, after }, ack, complete };
  return Response.json(answer, { headers: { [SUBSCRIBE_HEADER]: "1" } });
}

/** A notification for one subscription: a resource it watches changed. */
export function stampedUpdate(uri: string, subscriptionId: string | number): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    method: "notifications/resources/updated",
    params: { uri, _meta: { [SUBSCRIPTION_ID]: subscriptionId } },
  });
}
