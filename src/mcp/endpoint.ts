import { isJsonContentType, isLegacyRequest } from "@modelcontextprotocol/server";
import type { Caller } from "../room/auth";
import type { ModernLane } from "./modern/lane";
import { modernPlainCallOf } from "./modern/plain-call";
import { modeOfUrl } from "./modes";
import { plainLegacyCallOf } from "./plain-call";
import { checkRpcBody, checkRpcMessage, forbiddenKeyProblem, type RpcProblem } from "./rpc-params";
import type { McpSessions } from "./sessions";

/** Methods of 2026-07-28 whose params the shared validator's schemas describe. */
const CHECKED = new Set(["tools/call", "tools/list", "resources/list", "resources/templates/list", "resources/read"]);

/**
 * The shared params validator (unknown and prototype keys refused, the field named), applied to a
 * 2026-07-28 request too. Its schemas are the 2025 ones, so: methods removed in 2026 (initialize,
 * logging/setLevel, resources/subscribe …) get only the prototype-key check and then the SDK's
 * 404/-32601, and the retry fields of an `input_required` round are checked for prototype keys
 * only (the SDK checks their shape).
 */
function modernProblem(body: unknown): RpcProblem | undefined {
  const msg = body as { method?: unknown; params?: unknown };
  if (typeof msg?.method !== "string" || !CHECKED.has(msg.method)) return checkRpcMessage({ ...msg, method: "unchecked" }) ?? undefined;
  if (msg.params && typeof msg.params === "object" && !Array.isArray(msg.params)) {
    const { inputResponses, requestState, ...params } = msg.params as Record<string, unknown>;
    const retry = checkRpcMessage({ jsonrpc: "2.0", method: "retry", params: { inputResponses, requestState } });
    if (retry) return { ...retry, id: (body as { id?: string | number }).id ?? null };
    return checkRpcBody({ ...msg, params })[0];
  }
  return checkRpcBody(body)[0];
}

function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

/**
 * One URL, both protocol eras (the spec's dual-era serving): a request carrying the 2026-07-28
 * `_meta` envelope is served statelessly by the modern lane; `initialize`, GET, DELETE and every
 * other request without it belong to a 2025-era session. The body is parsed once, here.
 */
export async function handleMcp(
  lanes: { sessions: McpSessions; modern: ModernLane },
  req: Request,
  caller: Caller | null,
): Promise<Response> {
  const mode = modeOfUrl(req.url);
  if ("error" in mode) {
    await req.arrayBuffer().catch(() => undefined);
    return rpcError(400, -32602, mode.error);
  }
  if (req.method !== "POST") return lanes.sessions.handle(req, caller, undefined, mode.mode);
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return rpcError(400, -32700, "Parse error: the body is not JSON");
  }
  // Plain calls of either era are told apart without the SDK's classifier (decisions 0027, 0028).
  const plain = modernPlainCallOf(req, body);
  const legacy = plain ? undefined : plainLegacyCallOf(req, body);
  if (legacy || (!plain && (await isLegacyRequest(req, body)))) return lanes.sessions.handle(req, caller, body, mode.mode, legacy);
  if (!isJsonContentType(req.headers.get("content-type"))) {
    return rpcError(415, -32600, "Unsupported Media Type: Content-Type must be application/json");
  }
  // A plain call's params always fit the shared schema (only a name, an arguments object and the
  // envelope get in), so of the shared check only its refusal of prototype keys can apply.
  const problem = plain ? forbiddenKeyProblem(body as Record<string, unknown>) : modernProblem(body);
  if (problem) {
    return Response.json({ jsonrpc: "2.0", id: problem.id, error: { code: problem.code, message: problem.message } }, { status: 400 });
  }
  return plain ? lanes.modern.answerPlain(req, caller, plain, mode.mode, body) : lanes.modern.fetch(req, caller, body);
}
