import type { AnyTool } from "../../define";

export const portalTools: AnyTool[] = [];
