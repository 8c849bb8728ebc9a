import { describe, expect, it } from "vitest";
import { ANYONE, viewerOf, worktreeFor } from "../../src/room/visibility";

const wt = { branch: "ann/t1", path: "/home/alice/repo/.worktrees/ann.t1", git_root: "/home/alice/repo", repo_name: "repo" };

describe("worktreeFor", () => {
  it("gives workers, admins and an open room the path as the daemon reported it", () => {
    for (const caller of [null, { agent: null, role: "admin", via: "token" }, { agent: "w", role: "worker", via: "token" }] as const) {
      expect(worktreeFor(viewerOf(caller), wt)).toEqual(wt);
    }
  });

  it("gives readers and anonymous callers only the branch and .worktrees/<name>", () => {
    for (const v of [
      ANYONE,
      viewerOf({ agent: "r", role: "reader", via: "token" }),
      viewerOf({ agent: null, role: "reader", via: "anonymous" }),
    ]) {
      expect(worktreeFor(v, wt)).toEqual({ branch: "ann/t1", path: ".worktrees/ann.t1" });
    }
    expect(worktreeFor(ANYONE, { branch: "b", path: "C:\\Users\\alice\\repo\\.worktrees\\ann.t1\\" })).toEqual({
      branch: "b",
      path: ".worktrees/ann.t1",
    });
    expect(worktreeFor(ANYONE, { path: 7 })).toEqual({ branch: null, path: null });
    expect(worktreeFor(ANYONE, null)).toBeNull();
  });
});
