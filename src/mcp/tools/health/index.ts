import type { AnyTool } from "../../define";

export const healthTools: AnyTool[] = [];
