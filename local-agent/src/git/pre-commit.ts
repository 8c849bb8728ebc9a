import { basename, dirname, relative, sep } from "node:path";
import { fetchHookInfo } from "../cli/hook-info.ts";
import type { Io } from "../cli/output.ts";
import type { Settings } from "../cli/resolve.ts";
import { git } from "./git.ts";

/** The room's hook API answers at most this many files per request. */
const BATCH = 50;

interface Held {
  path: string;
  file: string;
  kind?: string;
  holder: string;
  expires_at: string;
}

/** The agent a masc worktree `.worktrees/<agent>.<task>` belongs to (names.ts encoding reversed). */
export function worktreeAgent(root: string, top: string): string | null {
  if (dirname(top) !== `${root}${sep}.worktrees`) return null;
  const encoded = basename(top).split(".")[0] ?? "";
  const agent = encoded.replace(/_(.)/g, (_m, c: string) => (c === "_" ? "_" : c === "-" ? ":" : c.toUpperCase()));
  return agent || null;
}

/**
 * A path as the room knows it: relative to the repository, also when the file lives in a masc
 * worktree (`.worktrees/<name>/src/a.ts` is `src/a.ts`). Null outside the repository.
 */
export function repoPath(root: string, abs: string): string | null {
  const rel = relative(root, abs).split(sep).join("/");
  if (rel.startsWith("..") || rel === "") return null;
  const inWorktree = /^\.worktrees\/[^/]+\/(.+)$/.exec(rel);
  return inWorktree ? (inWorktree[1] ?? null) : rel;
}

/**
 * The git pre-commit guard: refuses a commit whose staged paths another agent holds (a lock or a
 * lease), naming each path and holder; lets it through with a warning when the room cannot be
 * asked. Staged renames count as both their old and new path.
 */
export async function preCommit(s: Settings, io: Io, cwd = process.cwd()): Promise<number> {
  const top = await git(cwd, ["rev-parse", "--show-toplevel"]);
  const staged = (await git(top, ["diff", "--cached", "--name-only", "--no-renames", "-z"])).split("\0").filter(Boolean);
  if (staged.length === 0) return 0;
  const agent = worktreeAgent(s.root, top) ?? s.agents[0] ?? null;
  const held: Held[] = [];
  for (let i = 0; i < staged.length; i += BATCH) {
    const info = await fetchHookInfo(s, agent, staged.slice(i, i + BATCH));
    if ("error" in info) {
      io.err(`masc: ${info.error}; committing without the lock check`);
      return 0;
    }
    held.push(...((info as { locks?: Held[] }).locks ?? []));
  }
  if (held.length === 0) return 0;
  const lines = held.map((h) =>
    h.path === h.file
      ? `  ${h.path}: locked by ${h.holder} until ${h.expires_at}`
      : `  ${h.path}: under ${h.file}, leased by ${h.holder} until ${h.expires_at}`,
  );
  io.err(
    [
      `masc: commit refused${agent ? ` for ${agent}` : ""}: ${held.length} staged path(s) are held by another agent:`,
      ...lines,
      "Ask the holder (masc_broadcast), wait for masc_unlock, or unstage them. To skip this check once: git commit --no-verify",
    ].join("\n"),
  );
  return 1;
}
