import type { AnyTool } from "../../define";

export const votingTools: AnyTool[] = [];
