import { z } from "zod";
import type { AnyTool } from "./define";
import type { Category } from "./modes";
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
  ...coreTools,
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
  annotations: AnyTool["annotations"];
}

const listed = new Map<AnyTool, ListedTool>();

/** The tools/list entry of a tool, computed once per isolate rather than per session. */
export function listedTool(tool: AnyTool): ListedTool {
  let entry = listed.get(tool);
  if (!entry) {
    const { $schema: _drop, ...schema } = z.toJSONSchema(z.object(tool.input), { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    entry = { name: tool.name, description: tool.description, inputSchema: { ...schema, type: "object" }, annotations: tool.annotations };
    listed.set(tool, entry);
  }
  return entry;
}

export function toolsFor(categories: readonly Category[]): ListedTool[] {
  return TOOLS.filter((t) => categories.includes(t.category)).map(listedTool);
}
