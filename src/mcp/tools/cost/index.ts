import type { AnyTool } from "../../define";

export const costTools: AnyTool[] = [];
