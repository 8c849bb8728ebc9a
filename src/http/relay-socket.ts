import { RELAY_HEADER } from "../wire/relay-frames";

export { closeQuietly } from "../wire/relay-frames";

const REOPEN_DELAYS_MS = [0, 100, 500];

/** A relay socket request to the room: the caller's headers without the body's, upgraded, naming its kind. */
export function relaySocketHeaders(base: Headers, kind: string, header: string, value: unknown): Headers {
  const headers = new Headers(base);
  headers.delete("content-type");
  headers.delete("content-length");
  headers.set("upgrade", "websocket");
  headers.set(RELAY_HEADER, kind);
  headers.set(header, JSON.stringify(value));
  return headers;
}

/**
 * Opens a relay socket again after one dropped (the room restarted, the connection broke), with
 * short pauses. Null when the room refused (session gone, credential revoked: the client's own
 * retry will hear why), stayed unreachable, or the stream ended meanwhile.
 */
export async function reopenRelay(open: () => Promise<Response>, ended: () => boolean): Promise<WebSocket | null> {
  for (const delay of REOPEN_DELAYS_MS) {
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (ended()) return null;
    const res = await open().catch(() => null);
    if (res?.webSocket) return res.webSocket;
    if (res && res.status < 500) break;
  }
  return null;
}
