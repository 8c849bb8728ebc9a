import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { requireWithinBudget } from "../../../room/budgets";
import { fail } from "../../../room/errors";
import { appendEvent } from "../../../room/events";
import { getTask } from "../../../room/tasks";
import { ANYONE, worktreeFor } from "../../../room/visibility";
import { worktreeNames } from "../../../room/worktree-names";
import { defineTool } from "../../define";
import { agentName, taskId } from "../../fields";

export interface WorktreeInfo {
  path: string;
  branch: string;
  git_root: string;
  repo_name: string;
  created: boolean;
}

export const branchName = z
  .string()
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,100}$/, "must be a git branch name (letters, digits, '.', '_', '/', '-')")
  .describe("Branch to start from (default: origin's HEAD, else main, else master)");

export const masc_worktree_create = defineTool({
  name: "masc_worktree_create",
  category: "worktree",
  description: "Create an isolated git worktree .worktrees/<agent>.<task> on branch <agent>/<task>, via the connected masc-agent.",
  input: { agent_name: agentName, task_id: taskId, base_branch: branchName.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ agent_name, task_id, base_branch }, { db, now, room }) {
    requireJoined(db, agent_name);
    requireWithinBudget(db, now, agent_name);
    const wt = (await room.localAgents.request("worktree.create", { agent: agent_name, task_id, base_branch })) as WorktreeInfo;
    const want = worktreeNames(agent_name, task_id);
    if (wt?.branch !== want.branch || typeof wt.path !== "string" || !wt.path.replace(/\\/g, "/").endsWith(`/.worktrees/${want.dir}`)) {
      fail(
        "local_agent_error",
        `masc-agent answered branch '${String(wt?.branch)}' at '${String(wt?.path)}', not ${want.branch} in .worktrees/${want.dir}; update masc-agent`,
      );
    }
    db.tx(() => {
      const link = JSON.stringify({ branch: wt.branch, path: wt.path, git_root: wt.git_root, repo_name: wt.repo_name });
      if (getTask(db, task_id)) db.run("UPDATE tasks SET worktree = ? WHERE id = ?", link, task_id);
      // Events reach every viewer (readers and anonymous callers too), so they never hold the machine's path.
      appendEvent(db, now, { kind: "worktree_created", actor: agent_name, data: { task_id, ...worktreeFor(ANYONE, { ...wt }) } });
    });
    return { ...wt, next: `work in ${wt.path}; remove it with masc_worktree_remove when merged` };
  },
});
