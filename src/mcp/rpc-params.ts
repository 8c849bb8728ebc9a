import {
  CallToolRequestParamsSchema,
  ErrorCode,
  InitializeRequestParamsSchema,
  PaginatedRequestParamsSchema,
  ReadResourceRequestParamsSchema,
  SetLevelRequestParamsSchema,
  SubscribeRequestParamsSchema,
  UnsubscribeRequestParamsSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import { describeIssues } from "./issues";

/** A JSON-RPC error the server answers instead of running a message. */
export interface RpcProblem {
  id: string | number | null;
  code: ErrorCode.InvalidRequest | ErrorCode.InvalidParams;
  message: string;
}

// biome-ignore lint/suspicious/noExplicitAny: schemas of the SDK's own zod instance, used only to parse.
type ParamsSchema = { safeParse(v: unknown): { success: true } | { success: false; error: any } };

/**
 * The params each request method accepts; unknown keys are refused. `initialize` stays lenient
 * about extra keys (clients of newer protocol versions send more), but its types are checked. A
 * Map, not an object: a method named `toString` or `__proto__` must find nothing.
 */
const PARAMS = new Map<string, ParamsSchema>([
  ["initialize", InitializeRequestParamsSchema],
  ["tools/call", CallToolRequestParamsSchema.strict()],
  ["tools/list", PaginatedRequestParamsSchema.strict()],
  ["resources/list", PaginatedRequestParamsSchema.strict()],
  ["resources/templates/list", PaginatedRequestParamsSchema.strict()],
  ["resources/read", ReadResourceRequestParamsSchema.strict()],
  ["resources/subscribe", SubscribeRequestParamsSchema.strict()],
  ["resources/unsubscribe", UnsubscribeRequestParamsSchema.strict()],
  ["logging/setLevel", SetLevelRequestParamsSchema.strict()],
]);

/** Keys that reach prototypes, or that a JSON parser keeps but a schema silently drops. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 32;

/** The path of the first forbidden key anywhere under `value`, e.g. `params.arguments.__proto__`. */
function forbiddenKey(value: unknown, path: string, depth = 0): string | null {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return null;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
    const found = forbiddenKey(
      (value as Record<string, unknown>)[key],
      Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`,
      depth + 1,
    );
    if (found) return found;
  }
  return null;
}

function idOf(msg: Record<string, unknown>): string | number | null {
  return typeof msg.id === "string" || typeof msg.id === "number" ? msg.id : null;
}

/** The refusal of a message with a prototype key anywhere in it, the first part of checkRpcMessage. */
export function forbiddenKeyProblem(m: Record<string, unknown>): RpcProblem | null {
  const bad = forbiddenKey(m, "message");
  return bad
    ? { id: idOf(m), code: ErrorCode.InvalidParams, message: `Invalid params: ${bad.replace(/^message\./, "")}: unknown field` }
    : null;
}

/** Checks one JSON-RPC message; null when it may go on to the server. */
export function checkRpcMessage(msg: unknown): RpcProblem | null {
  if (msg === null || typeof msg !== "object" || Array.isArray(msg))
    return { id: null, code: ErrorCode.InvalidRequest, message: "Invalid Request: each message must be a JSON-RPC object" };
  const m = msg as Record<string, unknown>;
  const id = idOf(m);
  const bad = forbiddenKeyProblem(m);
  if (bad) return bad;
  if (typeof m.method !== "string" || !("id" in m)) return null;
  const schema = PARAMS.get(m.method);
  if (!schema) return null;
  if (m.params !== undefined && (m.params === null || typeof m.params !== "object" || Array.isArray(m.params)))
    return { id, code: ErrorCode.InvalidParams, message: `Invalid params: params of ${m.method} must be an object` };
  const parsed = schema.safeParse(m.params ?? {});
  if (parsed.success) return null;
  const detail = describeIssues(parsed.error as z.ZodError, m.params ?? {})
    .split("; ")
    .map((d) => (d.startsWith("unknown field") ? `params: ${d}` : `params.${d}`))
    .join("; ");
  return { id, code: ErrorCode.InvalidParams, message: `Invalid params for ${m.method}: ${detail}` };
}

/**
 * Checks a whole POST body (one message or a batch) before any of it runs, so a bad message
 * changes nothing: the problems to answer, or an empty list.
 */
export function checkRpcBody(body: unknown): RpcProblem[] {
  if (Array.isArray(body)) {
    if (body.length === 0) return [{ id: null, code: ErrorCode.InvalidRequest, message: "Invalid Request: an empty batch" }];
    return body.map(checkRpcMessage).filter((p): p is RpcProblem => p !== null);
  }
  const problem = checkRpcMessage(body);
  return problem ? [problem] : [];
}

/** The JSON-RPC answer to a refused body: one error, or one per refused message of a batch. */
export function rpcProblemResponse(body: unknown, problems: RpcProblem[]): Response {
  const errors = problems.map((p) => ({ jsonrpc: "2.0", id: p.id, error: { code: p.code, message: p.message } }));
  const empty = Array.isArray(body) && body.length === 0;
  return Response.json(Array.isArray(body) && !empty ? errors : errors[0], { status: empty ? 400 : 200 });
}
