import type { AnyTool } from "../../define";
import { masc_encryption_disable } from "./disable";
import { masc_encryption_enable } from "./enable";
import { masc_generate_key } from "./generate-key";
import { masc_encryption_status } from "./status";

export const encryptionTools: AnyTool[] = [masc_encryption_status, masc_encryption_enable, masc_encryption_disable, masc_generate_key];
