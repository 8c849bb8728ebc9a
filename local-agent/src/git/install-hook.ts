import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GitError, git } from "./git.ts";
import { listWorktrees } from "./worktrees.ts";

const MARK = "# masc pre-commit guard";
/** An existing hook of someone else's is moved here and run first, so installing never loses it. */
export const KEPT = "pre-commit.before-masc";

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The hook script: runs any hook we kept, then asks masc-agent (the same program that installed
 * it) with the URL and room resolved at install time, so every worktree asks the same room.
 */
export function hookScript(node: string, bin: string, flags = ""): string {
  return `#!/bin/sh
${MARK} (installed by: masc-agent hooks install --git)
# Refuses a commit whose staged files another agent has locked or leased in the masc room.
# When the room is unreachable the commit goes through with a warning.
# Skip the check for one commit with: git commit --no-verify
kept="$(dirname "$0")/${KEPT}"
if [ -x "$kept" ]; then "$kept" "$@" || exit $?; fi
if [ -f ${quote(bin)} ]; then exec ${quote(node)} ${quote(bin)} hook pre-commit ${flags}; fi
if command -v masc-agent >/dev/null 2>&1; then exec masc-agent hook pre-commit ${flags}; fi
echo "masc: masc-agent not found; committing without the lock check" >&2
exit 0
`;
}

export interface Installed {
  hook: string;
  kept: string | null;
  status: "installed" | "updated";
}

/** Writes the guard into one hooks directory, keeping a foreign hook as pre-commit.before-masc. */
function installInto(hooksDir: string, script: string): Installed {
  const hook = join(hooksDir, "pre-commit");
  const keptPath = join(hooksDir, KEPT);
  mkdirSync(hooksDir, { recursive: true });
  if (existsSync(hook)) {
    const current = readFileSync(hook, "utf8");
    if (current.includes(MARK)) {
      writeFileSync(hook, script);
      chmodSync(hook, 0o755);
      return { hook, kept: existsSync(keptPath) ? keptPath : null, status: "updated" };
    }
    if (existsSync(keptPath)) {
      throw new GitError(`${hook} is not masc's and ${keptPath} already exists; merge them by hand, then run this again`);
    }
    renameSync(hook, keptPath);
    chmodSync(keptPath, 0o755);
  }
  writeFileSync(hook, script);
  chmodSync(hook, 0o755);
  return { hook, kept: existsSync(keptPath) ? keptPath : null, status: "installed" };
}

/**
 * Installs the guard where git runs pre-commit for the main checkout and every worktree: usually
 * one shared hooks directory, more when core.hooksPath or per-worktree config points elsewhere.
 */
export async function installGitHook(root: string, node: string, bin: string, flags = ""): Promise<Installed[]> {
  const script = hookScript(node, bin, flags);
  const dirs = new Set<string>();
  for (const wt of await listWorktrees(root)) {
    const hook = await git(wt.path, ["rev-parse", "--path-format=absolute", "--git-path", "hooks/pre-commit"]);
    dirs.add(dirname(hook));
  }
  return [...dirs].map((d) => installInto(d, script));
}
