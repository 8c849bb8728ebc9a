import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  classifyInboundRequest,
  isJsonContentType,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
} from "@modelcontextprotocol/server";
import { isObject, toolCallShapeOf } from "../plain-shape";

/** The revision this lane serves (the SDK's only modern one). */
const MODERN = "2026-07-28";

/** A well-formed 2026-07-28 tools/call for a known tool, with nothing unusual about it. */
export interface ModernPlainCall {
  id: string | number;
  name: string;
  arguments: Record<string, unknown> | undefined;
}

/** Only the envelope: a progress token or any other `_meta` key takes the SDK's path. */
const META_KEYS = new Set([PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY]);
/** Levels at which the lane sends no log lines, so the answer stays one JSON body. */
const QUIET_LEVELS = new Set(["notice", "warning", "error", "critical", "alert", "emergency"]);
/**
 * Tools whose 2026 call is more than callTool: masc_listen may hand its wait to the Worker, and
 * masc_interrupt may ask the human in-band (input_required) or apply an answer (requestState).
 */
const SPECIAL = new Set(["masc_listen", "masc_interrupt"]);

/**
 * The SDK's own verdict on an envelope (its zod schema of the 2026-07-28 `_meta`), remembered by
 * its JSON: a client sends the same envelope with every call, so the schema runs once per client
 * shape instead of three times per request.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 64;
/** Longer envelopes are judged every time: the memory stays small whatever clients send. */
const MAX_REMEMBERED_CHARS = 4096;

function validEnvelope(meta: Record<string, unknown>): boolean {
  const key = JSON.stringify(meta);
  let ok = verdicts.get(key);
  if (ok === undefined) {
    const body = { jsonrpc: "2.0", id: 0, method: "tools/call", params: { name: "", _meta: meta } };
    ok = classifyInboundRequest({ httpMethod: "POST", body }).kind === "modern";
    if (key.length > MAX_REMEMBERED_CHARS) return ok;
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, ok);
  }
  return ok;
}

/**
 * Most 2026-07-28 requests a room serves are plain tool calls. For those, the SDK's handler (a
 * Server built per request, zod passes over the envelope, the message and the result, a
 * per-request transport) costs more CPU than the tool, so they are answered beside it (decision
 * 0028), the way it answers them. This accepts only what the SDK would serve without a refusal or
 * anything beyond the tool: the standard headers agreeing with the body, a valid envelope for this
 * revision, a known tool, no progress token, no retry fields, no log lines asked for. Anything else
 * returns undefined and takes the SDK's path, so every refusal and error stays exactly the SDK's.
 */
export function modernPlainCallOf(req: Request, body: unknown): ModernPlainCall | undefined {
  const shape = toolCallShapeOf(body, SPECIAL);
  if (!shape) return undefined;
  const { id, name, arguments: args, meta } = shape;
  if (!(typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id)))) return undefined;
  if (!isObject(meta) || meta[PROTOCOL_VERSION_META_KEY] !== MODERN) return undefined;
  for (const key in meta) if (!META_KEYS.has(key)) return undefined;
  const level = meta[LOG_LEVEL_META_KEY];
  if (level !== undefined && !QUIET_LEVELS.has(level as string)) return undefined;
  const headers = req.headers;
  if (!isJsonContentType(headers.get("content-type"))) return undefined;
  if (headers.get("mcp-protocol-version") !== MODERN || headers.get("mcp-method") !== "tools/call" || headers.get("mcp-name") !== name)
    return undefined;
  if (!validEnvelope(meta)) return undefined;
  return { id, name, arguments: args };
}

/**
 * The SDK's answer to a served tools/call on this revision: the result stamped `complete` with the
 * server's identity in `_meta`, or what a thrown error becomes, as one JSON body.
 */
export async function answerModernPlain(
  call: ModernPlainCall,
  serverInfo: { name: string; version: string },
  run: () => Promise<CallToolResult>,
): Promise<Response> {
  let message: unknown;
  try {
    const result = await run();
    message = { result: { ...result, resultType: "complete", _meta: { [SERVER_INFO_META_KEY]: serverInfo } }, jsonrpc: "2.0", id: call.id };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    const thrown = Number.isSafeInteger(e.code) ? (e.code as number) : -32603;
    // The era's codec sends resource-not-found (-32002) as invalid params.
    const code = thrown === -32002 ? -32602 : thrown;
    const error = { code, message: e.message ?? "Internal error", ...(e.data !== undefined ? { data: e.data } : {}) };
    message = { jsonrpc: "2.0", id: call.id, error };
  }
  return Response.json(message, { status: 200, headers: { "Content-Type": "application/json" } });
}
