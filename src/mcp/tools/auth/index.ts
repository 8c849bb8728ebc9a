import type { AnyTool } from "../../define";

export const authTools: AnyTool[] = [];
