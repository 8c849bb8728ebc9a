import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { appendEvent } from "../../../room/events";
import { ANYONE, worktreeFor } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, taskId } from "../../fields";

export const masc_worktree_remove = defineTool({
  name: "masc_worktree_remove",
  category: "worktree",
  description: "Remove your task's worktree (refused if it has uncommitted changes unless force); deletes its branch if merged.",
  input: { agent_name: agentName, task_id: taskId, force: z.boolean().default(false).describe("Remove even with uncommitted changes") },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ agent_name, task_id, force }, { db, now, room }) {
    requireJoined(db, agent_name);
    const out = (await room.localAgents.request("worktree.remove", { agent: agent_name, task_id, force })) as Record<string, unknown>;
    db.tx(() => {
      db.run("UPDATE tasks SET worktree = NULL WHERE id = ?", task_id);
      // Events reach every viewer, so the daemon's absolute path is cut to .worktrees/<name>.
      const shown = worktreeFor(ANYONE, { branch: out.branch, path: out.removed });
      const flags = { branch_deleted: out.branch_deleted === true, was_dirty: out.was_dirty === true };
      appendEvent(db, now, { kind: "worktree_removed", actor: agent_name, data: { task_id, ...shown, ...flags } });
    });
    return out;
  },
});
