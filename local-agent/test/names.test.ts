import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { worktreeNames } from "../../src/room/worktree-names.ts";
import { names } from "../src/git/names.ts";
import { createWorktree, removeWorktree } from "../src/git/worktrees.ts";
import { tempRepo } from "./helpers.ts";

const PAIRS: Array<[string, string]> = [
  ["ann", "x-t1"],
  ["ann-x", "t1"],
  ["ann", "job:1"],
  ["ann", "job-1"],
  ["Ann", "t1"],
  ["ann", "T1"],
  ["a_b", "c"],
  ["a", "_b-c"],
  ["a_", "b"],
  ["a", "_-b"],
];

describe("worktree names are injective", () => {
  it("gives every pair its own directory and branch, also when case is ignored", () => {
    const all = PAIRS.filter(([, t]) => /^[A-Za-z0-9]/.test(t)).map(([a, t]) => names(a, t));
    const dirs = all.map((n) => n.dir.toLowerCase());
    const branches = all.map((n) => n.branch.toLowerCase());
    expect(new Set(dirs).size).toBe(all.length);
    expect(new Set(branches).size).toBe(all.length);
  });

  it("agrees with the room's names, which the room checks replies against", () => {
    for (const [a, t] of PAIRS) {
      if (/^[A-Za-z0-9]/.test(t)) expect(names(a, t)).toEqual(worktreeNames(a, t));
    }
  });

  it("refuses names git could read as options", () => {
    expect(() => names("--force", "t1")).toThrow(/must start with a letter or digit/);
    expect(() => names("ann", "-b")).toThrow(/must start with a letter or digit/);
  });

  it("keeps ann's uncommitted work when ann-x's twin task is removed (ann, x-t1) vs (ann-x, t1)", async () => {
    const repo = tempRepo();
    const mine = await createWorktree(repo, "ann", "x-t1");
    const theirs = await createWorktree(repo, "ann-x", "t1");
    expect(mine.path).not.toBe(theirs.path);
    expect(theirs.created).toBe(true);
    writeFileSync(join(mine.path, "draft.txt"), "uncommitted\n");
    await removeWorktree(repo, "ann-x", "t1", true);
    expect(existsSync(join(mine.path, "draft.txt"))).toBe(true);
    const a = await createWorktree(repo, "ann", "job:1");
    const b = await createWorktree(repo, "ann", "job-1");
    expect(a.path).not.toBe(b.path);
    expect(b.created).toBe(true);
  });

  it("refuses a base branch that looks like an option without running git with it", async () => {
    const repo = tempRepo();
    await expect(createWorktree(repo, "ann", "t1", "--orphan")).rejects.toThrow(/starts with '-'/);
    expect(execFileSync("git", ["-C", repo, "worktree", "list"]).toString().trim().split("\n")).toHaveLength(1);
  });
});
