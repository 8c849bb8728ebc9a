import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitError, mainRoot } from "../src/git/git.ts";
import { createWorktree, listWorktrees, names, removeWorktree } from "../src/git/worktrees.ts";
import { tempRepo } from "./helpers.ts";

const branches = (repo: string) => execFileSync("git", ["-C", repo, "branch", "--format=%(refname:short)"]).toString().trim().split("\n");

describe("git worktrees on a real repository", () => {
  it("creates .worktrees/<agent>.<task> on branch <agent>/<task> from main, and is idempotent", async () => {
    const repo = tempRepo();
    const wt = await createWorktree(repo, "claude", "feature-A");
    expect(wt).toEqual({
      path: join(repo, ".worktrees", "claude.feature-_a"),
      branch: "claude/feature-_a",
      git_root: repo,
      repo_name: "demo-repo",
      created: true,
    });
    expect(existsSync(join(wt.path, "README.md"))).toBe(true);
    expect(branches(repo)).toContain("claude/feature-_a");
    expect((await createWorktree(repo, "claude", "feature-A")).created).toBe(false);
    expect(readFileSync(join(repo, ".git", "info", "exclude"), "utf8")).toContain(".worktrees/");
    expect(execFileSync("git", ["-C", repo, "status", "--porcelain"]).toString()).toBe("");
    const listed = await listWorktrees(repo);
    expect(listed.map((w) => [w.branch, w.is_masc])).toEqual([
      ["main", false],
      ["claude/feature-_a", true],
    ]);
    expect(await mainRoot(wt.path)).toBe(repo);
  });

  it("refuses to remove a worktree with uncommitted changes unless forced, and deletes a merged branch", async () => {
    const repo = tempRepo();
    const wt = await createWorktree(repo, "gemini", "fix:1");
    expect(names("gemini", "fix:1")).toEqual({ dir: "gemini.fix_-1", branch: "gemini/fix_-1" });
    writeFileSync(join(wt.path, "new.txt"), "draft\n");
    await expect(removeWorktree(repo, "gemini", "fix:1", false)).rejects.toThrow(/has 1 uncommitted change\(s\).*force/);
    expect(existsSync(wt.path)).toBe(true);
    const out = await removeWorktree(repo, "gemini", "fix:1", true);
    expect(out).toMatchObject({ removed: wt.path, branch_deleted: true, was_dirty: true });
    expect(existsSync(wt.path)).toBe(false);
    expect(branches(repo)).not.toContain("gemini/fix_-1");
  });

  it("keeps an unmerged branch and names a missing base branch", async () => {
    const repo = tempRepo();
    const wt = await createWorktree(repo, "codex", "t2");
    writeFileSync(join(wt.path, "work.txt"), "x\n");
    execFileSync("git", ["-C", wt.path, "add", "."]);
    execFileSync("git", ["-C", wt.path, "-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "-m", "work"]);
    expect((await removeWorktree(repo, "codex", "t2", false)).branch_deleted).toBe(false);
    expect(branches(repo)).toContain("codex/t2");
    await expect(createWorktree(repo, "codex", "t3", "nope")).rejects.toThrow(/base branch nope does not exist/);
    await expect(removeWorktree(repo, "codex", "missing", false)).rejects.toThrow(GitError);
  });

  it("says clearly when a directory is not a repository", async () => {
    await expect(mainRoot("/tmp")).rejects.toThrow(/is not inside a git repository/);
  });
});
