import { isJsonContentType, isLegacyRequest } from "@modelcontextprotocol/server";
import type { Caller } from "../room/auth";
import type { ModernLane } from "./modern/lane";
import { modeOfUrl } from "./modes";
import type { McpSessions } from "./sessions";

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
  if (await isLegacyRequest(req, body)) return lanes.sessions.handle(req, caller, body, mode.mode);
  if (!isJsonContentType(req.headers.get("content-type"))) {
    return rpcError(415, -32600, "Unsupported Media Type: Content-Type must be application/json");
  }
  return lanes.modern.fetch(req, caller, body);
}
