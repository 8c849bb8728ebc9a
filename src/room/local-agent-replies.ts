import { fail } from "./errors";

/** A path in the daemon's own spelling, with `/` separators, for comparing (Windows daemons send `\`). */
function slashed(path: string): string {
  return path.replace(/\\/g, "/").replace(/\/+$/, "");
}

/** An absolute path on the daemon's machine: `/…` or `C:\…`. */
export function isAbsoluteRoot(path: string): boolean {
  return /^\//.test(path) || /^[A-Za-z]:[\\/]/.test(path);
}

/** Whether `path` lies strictly inside `<root>/.worktrees/`, with no `.` or `..` segment to climb out. */
export function insideWorktrees(root: string, path: string): boolean {
  const base = `${slashed(root)}/.worktrees/`;
  const p = slashed(path);
  if (!p.startsWith(base) || p.length === base.length) return false;
  return p
    .slice(base.length)
    .split("/")
    .every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

/**
 * What a daemon answers is checked before the room uses it: a worktree it reports must be inside
 * the repository it registered in its hello, so a forged reply cannot send an agent to work in an
 * arbitrary directory or store one on a task.
 */
export function checkReply(method: string, result: unknown, repoRoot: string, host: string): void {
  if (method !== "worktree.create") return;
  const r = result as { path?: unknown; git_root?: unknown } | null;
  const path = typeof r?.path === "string" ? r.path : null;
  if (!path || !insideWorktrees(repoRoot, path) || (r?.git_root !== undefined && r.git_root !== repoRoot)) {
    fail(
      "local_agent_error",
      `masc-agent on ${host} answered a worktree outside ${repoRoot}/.worktrees/ (${String(path).slice(0, 200)}); refused, nothing stored`,
    );
  }
}
