import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { checkReply, insideWorktrees, isAbsoluteRoot } from "../../src/room/local-agent-replies";

describe("worktree replies stay inside <repo>/.worktrees/", () => {
  it("accepts paths strictly inside, in POSIX and Windows spelling", () => {
    expect(insideWorktrees("/r", "/r/.worktrees/a-t1")).toBe(true);
    expect(insideWorktrees("/r/", "/r/.worktrees/a/b")).toBe(true);
    expect(insideWorktrees("C:\\r", "C:\\r\\.worktrees\\a-t1")).toBe(true);
  });

  it("refuses the folder itself, neighbours, and climbing out", () => {
    for (const p of [
      "/r/.worktrees",
      "/r/.worktrees/",
      "/r2/.worktrees/a",
      "/r/.worktrees/../x",
      "/r/.worktrees/a/../../x",
      "/r/.worktrees//x",
      "/r/.worktrees/./x",
      "/tmp/x",
    ])
      expect(insideWorktrees("/r", p), p).toBe(false);
  });

  it("knows absolute roots", () => {
    expect(isAbsoluteRoot("/home/x")).toBe(true);
    expect(isAbsoluteRoot("D:/x")).toBe(true);
    expect(isAbsoluteRoot("x/y")).toBe(false);
    expect(isAbsoluteRoot("")).toBe(false);
  });

  it("refuses a worktree.create reply outside or for another git root, and checks nothing else", () => {
    expect(() => checkReply("worktree.create", { path: "/tmp/x" }, "/r", "h")).toThrow(MascError);
    expect(() => checkReply("worktree.create", { path: "/r/.worktrees/a", git_root: "/other" }, "/r", "h")).toThrow(MascError);
    expect(() => checkReply("worktree.create", null, "/r", "h")).toThrow(MascError);
    expect(() => checkReply("worktree.create", { path: "/r/.worktrees/a", git_root: "/r" }, "/r", "h")).not.toThrow();
    expect(() => checkReply("worktree.list", { worktrees: [] }, "/r", "h")).not.toThrow();
  });
});
