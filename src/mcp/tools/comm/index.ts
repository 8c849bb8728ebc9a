import type { AnyTool } from "../../define";

export const commTools: AnyTool[] = [];
