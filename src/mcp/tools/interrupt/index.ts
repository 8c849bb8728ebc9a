import type { AnyTool } from "../../define";

export const interruptTools: AnyTool[] = [];
