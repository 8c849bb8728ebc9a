import { realpathSync } from "node:fs";
import { emit, type Io } from "../cli/output.ts";
import type { Settings } from "../cli/resolve.ts";
import { installGitHook } from "../git/install-hook.ts";
import { hookFlags } from "./hook.ts";

/** `masc-agent hooks install --git`: the pre-commit guard for the main checkout and every worktree. */
export async function installGitCommand(s: Settings, io: Io): Promise<number> {
  if (!s.inGit) throw new Error(`${s.root} is not inside a git repository`);
  const bin = realpathSync(process.argv[1] ?? "masc-agent");
  // The agent is not baked in: a commit in .worktrees/<agent>.<task> is that agent's.
  const done = await installGitHook(s.root, process.execPath, bin, hookFlags({ url: s.url, room: s.room, agents: [] }));
  emit(io, s.json, { hooks: done }, () =>
    [
      ...done.map((d) => `${d.status} ${d.hook}${d.kept ? ` (your previous hook runs first: ${d.kept})` : ""}`),
      "Commits touching files another agent holds are refused; skip once with: git commit --no-verify",
    ].join("\n"),
  );
  return 0;
}
