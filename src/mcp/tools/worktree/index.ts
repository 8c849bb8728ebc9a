import type { AnyTool } from "../../define";

export const worktreeTools: AnyTool[] = [];
