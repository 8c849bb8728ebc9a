import type { AnyTool } from "../../define";

export const ratelimitTools: AnyTool[] = [];
