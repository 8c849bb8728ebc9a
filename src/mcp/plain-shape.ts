import { TOOLS_BY_NAME } from "./registry";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const MESSAGE_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const PARAM_KEYS = new Set(["name", "arguments", "_meta"]);

/** What both eras' plain tool calls have in common; the id and `_meta` are each era's to judge. */
export interface ToolCallShape {
  id: unknown;
  name: string;
  params: Record<string, unknown>;
  arguments: Record<string, unknown> | undefined;
  meta: unknown;
}

/**
 * One JSON-RPC `tools/call` object with only `jsonrpc`, `id`, `method` and `params`; params with
 * only `name` (a known tool, not one of `special`), `arguments` (an object, if any) and `_meta`.
 * Undefined for anything else, which then takes the SDK's path.
 */
export function toolCallShapeOf(body: unknown, special: ReadonlySet<string>): ToolCallShape | undefined {
  if (!isObject(body) || body.jsonrpc !== "2.0" || body.method !== "tools/call") return undefined;
  for (const key in body) if (!MESSAGE_KEYS.has(key)) return undefined;
  const params = body.params;
  if (!isObject(params)) return undefined;
  for (const key in params) if (!PARAM_KEYS.has(key)) return undefined;
  const name = params.name;
  if (typeof name !== "string" || !TOOLS_BY_NAME.has(name) || special.has(name)) return undefined;
  const args = params.arguments;
  if (args !== undefined && !isObject(args)) return undefined;
  return { id: body.id, name, params, arguments: args, meta: params._meta };
}
