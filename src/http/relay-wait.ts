import { type ListenWait, WAIT_HEADER, WAKE } from "../wire/relay-frames";
import { closeQuietly, relaySocketHeaders } from "./relay-socket";

export interface Waited {
  ms: number;
  timedOut: boolean;
}

/** Opens a listen relay socket on the room; a non-101 answer is the room's refusal. */
export type OpenListen = (wait: ListenWait) => Promise<Response>;

const REOPEN_PAUSE_MS = 100;

/**
 * Waits for a masc_listen wake-up on relay sockets, so the room holds no request while an agent
 * listens: the room hibernates and wakes only to send the one frame. A socket that drops before
 * the deadline is opened again; the room checks on each open whether something already arrived.
 */
export async function waitOnRelay(open: OpenListen, wait: ListenWait, signal: AbortSignal): Promise<Waited> {
  const started = Date.now();
  const deadline = started + wait.timeout_ms;
  while (Date.now() < deadline && !signal.aborted) {
    const res = await open(wait).catch(() => null);
    const ws = res?.webSocket;
    // Refused (credential revoked, agent gone): the repeated call answers with the reason.
    if (!ws) break;
    const how = await new Promise<"wake" | "timeout" | "dropped">((resolve) => {
      ws.accept();
      const timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
      const stop = (how: "wake" | "timeout" | "dropped") => {
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        resolve(how);
      };
      const aborted = () => stop("dropped");
      signal.addEventListener("abort", aborted, { once: true });
      ws.addEventListener("message", (m) => m.data === WAKE && stop("wake"));
      ws.addEventListener("close", () => stop("dropped"));
      ws.addEventListener("error", () => stop("dropped"));
    });
    closeQuietly(ws, 1000, "done waiting");
    if (how === "wake") return { ms: Date.now() - started, timedOut: false };
    if (how === "timeout") break;
    await new Promise((r) => setTimeout(r, REOPEN_PAUSE_MS));
  }
  return { ms: Date.now() - started, timedOut: Date.now() >= deadline };
}

/** The room's answer that asks the Worker to wait: what to wait for, and the call to repeat after. */
export async function deferredWait(res: Response): Promise<{ wait: ListenWait; retry: unknown } | null> {
  if (!res.headers.has(WAIT_HEADER)) return null;
  return (await res.json()) as { wait: ListenWait; retry: unknown };
}

export function listenHeaders(base: Headers, wait: ListenWait): Headers {
  return relaySocketHeaders(base, "listen", WAIT_HEADER, wait);
}
