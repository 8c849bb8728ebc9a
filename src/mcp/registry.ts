import * as z from "zod";
import type { AnyTool } from "./define";
import { type Category, MODE_TOOLS, type Mode } from "./modes";
import { authTools } from "./tools/auth";
import { commTools } from "./tools/comm";
import { coreTools } from "./tools/core";
import { costTools } from "./tools/cost";
import { discoveryTools } from "./tools/discovery";
import { encryptionTools } from "./tools/encryption";
import { healthTools } from "./tools/health";
import { interruptTools } from "./tools/interrupt";
import { portalTools } from "./tools/portal";
import { ratelimitTools } from "./tools/ratelimit";
import { votingTools } from "./tools/voting";
import { worktreeTools } from "./tools/worktree";

export const TOOLS: readonly AnyTool[] = [
  ...coreTools((mode, enabled) => listFor(mode, enabled).length),
  ...commTools,
  ...portalTools,
  ...worktreeTools,
  ...healthTools,
  ...discoveryTools,
  ...votingTools,
  ...interruptTools,
  ...costTools,
  ...authTools,
  ...ratelimitTools,
  ...encryptionTools,
];

export const TOOLS_BY_NAME: ReadonlyMap<string, AnyTool> = new Map(TOOLS.map((t) => [t.name, t]));

export interface ListedTool {
  name: string;
  description: string;
  inputSchema: { type: "object"; [k: string]: unknown };
  annotations?: Partial<AnyTool["annotations"]>;
}

/**
 * Bounds and patterns stay on the server (the zod schema checks every call and names the field and
 * what it allows); listing them costs every model tokens on every turn for errors it rarely makes.
 */
const SERVER_SIDE = new Set(["pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "additionalProperties"]);

function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (SERVER_SIDE.has(k)) continue;
    // "properties" maps field names to schemas: compact the schemas, keep every name.
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([f, s]) => [f, compact(s)])) : compact(v);
  }
  return out;
}

/** Only the hints that differ from the spec's defaults (readOnly false, destructive true, idempotent false). */
function hintsOf(a: AnyTool["annotations"]): ListedTool["annotations"] {
  if (a.readOnlyHint) return { readOnlyHint: true };
  const out: Partial<AnyTool["annotations"]> = {};
  if (!a.destructiveHint) out.destructiveHint = false;
  if (a.idempotentHint) out.idempotentHint = true;
  if (a.openWorldHint === false) out.openWorldHint = false;
  return Object.keys(out).length > 0 ? out : undefined;
}

const listed = new Map<AnyTool, ListedTool>();

/** The tools/list entry of a tool, computed once per isolate rather than per session or request. */
export function listedTool(tool: AnyTool): ListedTool {
  let entry = listed.get(tool);
  if (!entry) {
    const { $schema: _drop, ...schema } = z.toJSONSchema(z.object(tool.input), { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    const inputSchema = { ...(compact(schema) as object), type: "object" as const };
    const annotations = hintsOf(tool.annotations);
    entry = { name: tool.name, description: tool.description, inputSchema, ...(annotations ? { annotations } : {}) };
    listed.set(tool, entry);
  }
  return entry;
}

export function toolsFor(categories: readonly Category[]): ListedTool[] {
  return TOOLS.filter((t) => categories.includes(t.category)).map(listedTool);
}

const byMode = new Map<string, ListedTool[]>();

/**
 * What a mode lists: a fixed set, the same for every caller and request, so a client may cache it.
 * Listing never limits calling: every tool stays callable (see callTool).
 */
export function listFor(mode: Mode, categories: readonly Category[]): ListedTool[] {
  const names = mode === "custom" ? undefined : MODE_TOOLS[mode];
  if (!names) return toolsFor(categories);
  let list = byMode.get(mode);
  if (!list) {
    list = TOOLS.filter((t) => names.includes(t.name)).map(listedTool);
    byMode.set(mode, list);
  }
  return list;
}
