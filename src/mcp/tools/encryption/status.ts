import { encryptionOn, sealedCounts } from "../../../room/encryption";
import { defineTool } from "../../define";

export const masc_encryption_status = defineTool({
  name: "masc_encryption_status",
  category: "encryption",
  description: "Whether room text is encrypted at rest, whether a key is configured, and how many values are sealed.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, room }) {
    return {
      enabled: encryptionOn(db),
      algorithm: "AES-256-GCM",
      key_configured: room.encryption.keyConfigured(),
      key_source: "MASC_ENCRYPTION_KEY",
      sealed_values: sealedCounts(db),
    };
  },
});
