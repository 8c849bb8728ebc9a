import { defineTool } from "../../define";

export const masc_encryption_disable = defineTool({
  name: "masc_encryption_disable",
  category: "encryption",
  description: "Decrypt all room text back to plaintext at rest (needs the same key).",
  input: {},
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler(_args, { room }) {
    const opened = await room.encryption.disable();
    return { enabled: false, decrypted_values: opened };
  },
});
