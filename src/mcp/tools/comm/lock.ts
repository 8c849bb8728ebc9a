import * as z from "zod";
import { acquireLock, DEFAULT_LOCK_TTL_S, MAX_LOCK_TTL_S } from "../../../room/locks";
import { defineTool } from "../../define";
import { agentName, filePath } from "../../fields";

export const masc_lock = defineTool({
  name: "masc_lock",
  category: "comm",
  description: "Lock a file, or lease a directory ('src/auth/') or glob ('src/auth/**'); re-locking your own extends it.",
  input: {
    agent_name: agentName,
    file: filePath.describe("Repo-relative file, directory ending in '/', or glob with * ? **"),
    ttl: z
      .number()
      .int()
      .min(1)
      .max(MAX_LOCK_TTL_S)
      .default(DEFAULT_LOCK_TTL_S)
      .describe(`Seconds until the lock expires (1-${MAX_LOCK_TTL_S}, default ${DEFAULT_LOCK_TTL_S})`),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name, file, ttl }, { db, now }) {
    const { lock, refreshed } = acquireLock(db, now, agent_name, file, ttl);
    return { locked: lock.file, refreshed, ...lock };
  },
});
