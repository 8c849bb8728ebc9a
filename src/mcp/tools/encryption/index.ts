import type { AnyTool } from "../../define";

export const encryptionTools: AnyTool[] = [];
