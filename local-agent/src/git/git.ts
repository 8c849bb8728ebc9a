import { execFile } from "node:child_process";

export class GitError extends Error {}

/** Runs git with arguments (never through a shell) and returns its trimmed stdout. */
export function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout.trim());
      const e = err as NodeJS.ErrnoException;
      if (e.code === "ENOENT" && e.path === "git") return reject(new GitError("git is not installed or not on PATH"));
      if (e.code === "ENOENT") return reject(new GitError(`${cwd} does not exist`));
      const msg = stderr.trim();
      if (/not a git repository/i.test(msg)) return reject(new GitError(`${cwd} is not inside a git repository`));
      reject(new GitError(msg || err.message));
    });
  });
}

/** The main repository root, also from inside a linked worktree: all worktrees share one room. */
export async function mainRoot(dir: string): Promise<string> {
  const common = await git(dir, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  if (common.endsWith("/.git")) return common.slice(0, -"/.git".length);
  return git(dir, ["rev-parse", "--show-toplevel"]);
}
