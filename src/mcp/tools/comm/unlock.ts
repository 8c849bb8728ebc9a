import { releaseLock } from "../../../room/locks";
import { defineTool } from "../../define";
import { agentName, filePath } from "../../fields";

export const masc_unlock = defineTool({
  name: "masc_unlock",
  category: "comm",
  description: "Release a lock or lease you hold.",
  input: { agent_name: agentName, file: filePath },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name, file }, { db, now }) {
    const lock = releaseLock(db, now, agent_name, file);
    return { unlocked: lock.file, token: lock.token };
  },
});
