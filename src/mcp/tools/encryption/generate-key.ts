import * as z from "zod";
import { generateKey } from "../../../room/crypto";
import { defineTool } from "../../define";

export const masc_generate_key = defineTool({
  name: "masc_generate_key",
  category: "encryption",
  description: "Make a new random 256-bit key to set as the MASC_ENCRYPTION_KEY secret.",
  input: { output: z.enum(["base64", "hex"]).default("base64").describe("Key encoding") },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false },
  handler({ output }) {
    return {
      key: generateKey(output),
      output,
      next: "wrangler secret put MASC_ENCRYPTION_KEY (or --var for wrangler dev), then masc_encryption_enable",
    };
  },
});
