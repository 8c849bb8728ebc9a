import { type CallToolRequest, type CallToolResult, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { PROTOCOL_VERSION_META_KEY } from "@modelcontextprotocol/server";
import { isObject, toolCallShapeOf } from "./plain-shape";

/** A well-formed single tools/call for a known tool, with nothing unusual about it. */
export interface PlainCall {
  id: string | number;
  params: CallToolRequest["params"];
}

/** Tools that wait and must hear notifications/cancelled, which only the SDK's server routes. */
export const WAITING: ReadonlySet<string> = new Set(["masc_listen"]);

/**
 * Most requests a room serves are plain tool calls on a live session. For those, the SDK's
 * transport and server (three zod passes over the message and the result, stream bookkeeping, an
 * AbortController and several promise hops) cost more CPU than the tool itself, so they are
 * answered here, the same way the transport answers them in JSON mode. Anything else (batches,
 * progress, unknown tools or keys, odd headers) returns undefined and takes the SDK's path, so every
 * refusal and error stays exactly the SDK's.
 */
export function plainCallOf(req: Request, body: unknown): PlainCall | undefined {
  const shape = toolCallShapeOf(body, WAITING);
  if (!shape) return undefined;
  const id = shape.id;
  if (!(typeof id === "string" || (typeof id === "number" && Number.isInteger(id)))) return undefined;
  if (shape.meta !== undefined && (!isObject(shape.meta) || "progressToken" in shape.meta)) return undefined;
  const accept = req.headers.get("accept") ?? "";
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) return undefined;
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") return undefined;
  const version = req.headers.get("mcp-protocol-version");
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  return { id, params: shape.params as CallToolRequest["params"] };
}

/**
 * A plain call isLegacyRequest would call 2025-era (no envelope claim in `_meta`, no modern
 * version header), recognized without its zod passes over the body. Undefined means "ask it".
 */
export function plainLegacyCallOf(req: Request, body: unknown): PlainCall | undefined {
  const call = plainCallOf(req, body);
  const meta = call?.params._meta;
  return meta && PROTOCOL_VERSION_META_KEY in meta ? undefined : call;
}

/** The transport's JSON-mode reply to one request. */
export async function answerPlain(sessionId: string, call: PlainCall, run: () => Promise<CallToolResult>): Promise<Response> {
  let message: unknown;
  try {
    message = { result: await run(), jsonrpc: "2.0", id: call.id };
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -32603;
    message = { jsonrpc: "2.0", id: call.id, error: { code, message: err instanceof Error ? err.message : "Internal error" } };
  }
  return new Response(JSON.stringify(message), {
    status: 200,
    headers: { "content-type": "application/json", "mcp-session-id": sessionId },
  });
}
