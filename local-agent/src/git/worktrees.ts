import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { GitError, git } from "./git.ts";
import { names } from "./names.ts";

export { names };

export interface Worktree {
  path: string;
  branch: string;
  git_root: string;
  repo_name: string;
  created: boolean;
}

async function exists(root: string, ref: string): Promise<boolean> {
  try {
    await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** The branch to start from: the one asked for, else origin's HEAD, else main, else master, else HEAD. */
export async function baseBranch(root: string, asked?: string): Promise<string> {
  if (asked) {
    if (asked.startsWith("-")) throw new GitError(`base branch '${asked}' starts with '-'; git would read it as an option`);
    if (await exists(root, asked)) return asked;
    throw new GitError(`base branch ${asked} does not exist in ${root}`);
  }
  try {
    const head = await git(root, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
    if (head) return head;
  } catch {
    // No origin: fall through to the usual names.
  }
  for (const candidate of ["main", "master"]) if (await exists(root, candidate)) return candidate;
  return "HEAD";
}

/** Keeps .worktrees/ out of the main checkout's `git status`, without touching tracked files. */
async function ignoreWorktrees(root: string): Promise<void> {
  const exclude = await git(root, ["rev-parse", "--path-format=absolute", "--git-path", "info/exclude"]);
  const current = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  if (!current.split("\n").includes(".worktrees/")) {
    mkdirSync(dirname(exclude), { recursive: true });
    appendFileSync(exclude, `${current && !current.endsWith("\n") ? "\n" : ""}.worktrees/\n`);
  }
}

export async function createWorktree(root: string, agent: string, taskId: string, base?: string): Promise<Worktree> {
  const { dir, branch } = names(agent, taskId);
  const path = join(root, ".worktrees", dir);
  const info = { path, branch, git_root: root, repo_name: basename(root) };
  if (existsSync(path)) {
    const listed = await listWorktrees(root);
    if (listed.some((w) => w.path === path)) return { ...info, created: false };
    throw new GitError(`${path} exists but is not a git worktree; move it away first`);
  }
  await ignoreWorktrees(root);
  // `--` ends git's options: nothing computed from names can be read as a flag.
  if (await exists(root, `refs/heads/${branch}`)) await git(root, ["worktree", "add", "--", path, branch]);
  else await git(root, ["worktree", "add", "-b", branch, "--", path, await baseBranch(root, base)]);
  return { ...info, created: true };
}

export async function removeWorktree(root: string, agent: string, taskId: string, force: boolean) {
  const { dir, branch } = names(agent, taskId);
  const path = join(root, ".worktrees", dir);
  if (!existsSync(path)) throw new GitError(`no worktree ${path}; see masc_worktree_list`);
  const dirty = (await git(path, ["status", "--porcelain"])).split("\n").filter(Boolean);
  if (dirty.length > 0 && !force) {
    throw new GitError(
      `${path} has ${dirty.length} uncommitted change(s) (${dirty.slice(0, 3).join(", ")}); commit them or remove with force`,
    );
  }
  await git(root, ["worktree", "remove", ...(force ? ["--force"] : []), "--", path]);
  let branchDeleted = false;
  const merged = (await git(root, ["branch", `--merged=${await baseBranch(root)}`])).split("\n").map((b) => b.replace(/^[*+]?\s*/, ""));
  if (merged.includes(branch)) {
    await git(root, ["branch", "-d", "--", branch]);
    branchDeleted = true;
  }
  await git(root, ["worktree", "prune"]);
  return { removed: path, branch, branch_deleted: branchDeleted, was_dirty: dirty.length > 0 };
}

export async function listWorktrees(root: string) {
  const out = await git(root, ["worktree", "list", "--porcelain"]);
  const masc = join(root, ".worktrees") + sep;
  return out
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const fields = new Map(block.split("\n").map((l) => [l.split(" ")[0] ?? "", l.slice(l.indexOf(" ") + 1)]));
      const path = fields.get("worktree") ?? "";
      return {
        path,
        head: fields.get("HEAD") ?? null,
        branch: fields.get("branch")?.replace(/^refs\/heads\//, "") ?? null,
        is_masc: path.startsWith(masc),
      };
    });
}
