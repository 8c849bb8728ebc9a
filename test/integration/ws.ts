import { exports } from "cloudflare:workers";

export interface TestSocket {
  ws: WebSocket;
  frames: Array<Record<string, unknown>>;
  /** Resolves with the first frame (already received or future) that matches. */
  next(match: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<number>;
}

/** Opens a room WebSocket through the Worker, as the local-agent and dashboard do. */
export async function openSocket(path: string): Promise<TestSocket> {
  const res = await exports.default.fetch(`http://localhost${path}`, { headers: { upgrade: "websocket" } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: ${res.status} ${await res.text()}`);
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  ws.accept();
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.addEventListener("message", (m) => {
    frames.push(JSON.parse(String(m.data)) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (match: (f: Record<string, unknown>) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = frames.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, left);
      });
    }
  };
  return { ws, frames, next, closed };
}
