import { releaseLock } from "../../../room/locks";
import { requireOverride } from "../../../room/permissions";
import { defineTool } from "../../define";
import { agentName, filePath, force } from "../../fields";

export const masc_unlock = defineTool({
  name: "masc_unlock",
  category: "comm",
  description: "Release a lock or lease you hold.",
  input: { agent_name: agentName, file: filePath, force },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name, file, force }, { db, now, caller }) {
    if (force) requireOverride(caller, "masc_unlock");
    const lock = releaseLock(db, now, agent_name, file, force);
    return { unlocked: lock.file, token: lock.token, ...(force && lock.holder !== agent_name ? { was_held_by: lock.holder } : {}) };
  },
});
