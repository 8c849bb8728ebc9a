import { emit, type Io } from "../cli/output.ts";
import { UsageError } from "../cli/parse.ts";
import type { Settings } from "../cli/resolve.ts";
import { SAFE_AGENT as NAME, SAFE_TASK as TASK } from "../git/names.ts";
import { createWorktree, listWorktrees, removeWorktree } from "../git/worktrees.ts";

export async function worktreeCommand(s: Settings, args: string[], flags: { force?: boolean; base?: string }, io: Io): Promise<number> {
  if (!s.inGit) throw new Error(`${s.root} is not inside a git repository`);
  const [sub, agent, task] = args;
  if (sub === "list") {
    const list = await listWorktrees(s.root);
    emit(io, s.json, { worktrees: list }, () =>
      list.map((w) => `${w.is_masc ? "*" : " "} ${w.path}  ${w.branch ?? "(detached)"}`).join("\n"),
    );
    return 0;
  }
  if ((sub !== "create" && sub !== "remove") || !agent || !task)
    throw new UsageError("usage: masc-agent worktree create|remove <agent> <task> | list");
  if (!NAME.test(agent))
    throw new UsageError("agent must be 1-64 characters of letters, digits, '-' or '_', starting with a letter or digit");
  if (!TASK.test(task))
    throw new UsageError("task must be 1-128 characters of letters, digits, '_', ':' or '-', starting with a letter or digit");
  if (sub === "create") {
    const wt = await createWorktree(s.root, agent, task, flags.base);
    emit(io, s.json, wt, () => `${wt.created ? "created" : "exists"}: ${wt.path} on branch ${wt.branch}`);
  } else {
    const out = await removeWorktree(s.root, agent, task, flags.force ?? false);
    emit(io, s.json, out, () => `removed ${out.removed}${out.branch_deleted ? ` and merged branch ${out.branch}` : ""}`);
  }
  return 0;
}
