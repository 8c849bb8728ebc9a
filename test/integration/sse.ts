import { exports } from "cloudflare:workers";

export type Fetch = (req: Request) => Promise<Response>;

const workerFetch: Fetch = (req) => exports.default.fetch(req);

/** Reads a GET stream's SSE text as it arrives; `ended` says whether the server closed it. */
export interface RawStream {
  status: number;
  read(until: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  ended(): boolean;
  close(): Promise<void>;
}

/** Opens a session's GET stream by hand, to control Last-Event-ID and see the raw SSE. */
export async function openStream(
  path: string,
  session: { sid: string; version: string },
  lastEventId: string | null,
  fetch: Fetch = workerFetch,
  extra: Record<string, string> = {},
): Promise<RawStream> {
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    "mcp-session-id": session.sid,
    // An empty version sends no header, as clients that omit it after initialize do.
    ...(session.version ? { "mcp-protocol-version": session.version } : {}),
    ...extra,
  };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const res = await fetch(new Request(`http://localhost${path}`, { headers }));
  if (!res.body || !res.ok) {
    const status = res.status;
    await res.body?.cancel();
    return { status, read: async () => "", ended: () => true, close: async () => {} };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let done = false;
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  const read = async (until: (text: string) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!done && !until(text) && Date.now() < deadline) {
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
      if (chunk === null) continue;
      pending = null;
      if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
      if (chunk.done) done = true;
    }
    return text;
  };
  return { status: res.status, read, ended: () => done, close: () => reader.cancel() };
}

export const lastId = (sse: string) => [...sse.matchAll(/^id: ?(\S+)$/gm)].at(-1)?.[1] ?? null;
