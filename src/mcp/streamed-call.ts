import {
  type CallToolRequest,
  isJSONRPCRequest,
  type ProgressToken,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { sseEvent } from "../wire/sse";

/** A single tools/call that asked for progress: the one kind of request answered as an SSE stream. */
export interface ProgressCall {
  id: string | number;
  params: CallToolRequest["params"];
  token: ProgressToken;
}

export function progressCallOf(body: unknown): ProgressCall | undefined {
  if (!isJSONRPCRequest(body) || body.method !== "tools/call") return undefined;
  const params = body.params as CallToolRequest["params"] | undefined;
  const token = params?._meta?.progressToken;
  if (!params || typeof params.name !== "string" || token === undefined) return undefined;
  return { id: body.id, params, token };
}

export type Notify = (progress: number, total?: number, message?: string) => Promise<void>;

/**
 * Answers a progress-carrying tool call as an SSE stream: progress notifications first, then the
 * result, in order on one stream, as MCP requires (progress must arrive while the request is open).
 */
export function streamedCall(
  req: Request,
  sessionId: string,
  call: ProgressCall,
  run: (notify: Notify, signal: AbortSignal) => Promise<{ result?: unknown; error?: { code: number; message: string } }>,
): Response {
  const version = req.headers.get("mcp-protocol-version");
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: `Bad Request: Unsupported protocol version: ${version}` }, id: null },
      { status: 400 },
    );
  }
  if (!req.headers.get("accept")?.includes("text/event-stream")) {
    return Response.json(
      {
        jsonrpc: "2.0",
        error: { code: -32000, message: "Not Acceptable: a call with a progressToken needs Accept: text/event-stream" },
        id: null,
      },
      { status: 406 },
    );
  }
  const abort = new AbortController();
  let open = true;
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const write = async (message: unknown) => {
    if (!open) return;
    try {
      await writer.write(sseEvent({ event: "message", data: JSON.stringify(message) }));
    } catch {
      // The client went away: stop the work that reports to it.
      open = false;
      abort.abort();
    }
  };
  const notify: Notify = (progress, total, message) =>
    write({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: call.token, progress, total, message } });
  void (async () => {
    try {
      const outcome = await run(notify, abort.signal);
      await write({ jsonrpc: "2.0", id: call.id, ...(outcome.error ? { error: outcome.error } : { result: outcome.result }) });
    } finally {
      open = false;
      await writer.close().catch(() => undefined);
    }
  })();
  return new Response(readable, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "mcp-session-id": sessionId },
  });
}
