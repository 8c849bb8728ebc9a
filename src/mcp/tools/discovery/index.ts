import type { AnyTool } from "../../define";

export const discoveryTools: AnyTool[] = [];
