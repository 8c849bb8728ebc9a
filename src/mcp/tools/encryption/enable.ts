import * as z from "zod";
import { defineTool } from "../../define";

export const masc_encryption_enable = defineTool({
  name: "masc_encryption_enable",
  category: "encryption",
  description: "Encrypt message, task, portal and interrupt text at rest, existing rows included.",
  input: { key_source: z.enum(["env"]).default("env").describe("Where the key comes from: env (the MASC_ENCRYPTION_KEY secret)") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler(_args, { room }) {
    const { resealed, ...scrub } = await room.encryption.enable();
    return { enabled: true, algorithm: "AES-256-GCM", resealed_values: resealed, ...scrub };
  },
});
