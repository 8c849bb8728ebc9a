import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installGitHook, KEPT } from "../src/git/install-hook.ts";
import { repoPath, worktreeAgent } from "../src/git/pre-commit.ts";
import { createWorktree } from "../src/git/worktrees.ts";
import { tempRepo } from "./helpers.ts";

describe("git pre-commit guard install", () => {
  it("installs once for the main checkout and its worktrees, keeping the user's hook and running it first", async () => {
    const repo = tempRepo();
    await createWorktree(repo, "ann", "t1");
    const hooks = join(repo, ".git", "hooks");
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, "pre-commit"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const done = await installGitHook(repo, process.execPath, "/nonexistent/masc-agent.js");
    expect(done).toEqual([{ hook: join(hooks, "pre-commit"), kept: join(hooks, KEPT), status: "installed" }]);
    expect(readFileSync(join(hooks, KEPT), "utf8")).toBe("#!/bin/sh\nexit 0\n");
    const script = readFileSync(join(hooks, "pre-commit"), "utf8");
    expect(script).toContain("git commit --no-verify");
    expect(script).toContain(KEPT);
    expect((await installGitHook(repo, process.execPath, "/x.js"))[0]?.status).toBe("updated");
    expect(readFileSync(join(hooks, KEPT), "utf8")).toBe("#!/bin/sh\nexit 0\n");
  });

  it("refuses rather than overwrite when a foreign hook and a kept one both exist", async () => {
    const repo = tempRepo();
    const hooks = join(repo, ".git", "hooks");
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, "pre-commit"), "#!/bin/sh\necho new\n");
    writeFileSync(join(hooks, KEPT), "#!/bin/sh\necho old\n");
    await expect(installGitHook(repo, process.execPath, "/x.js")).rejects.toThrow(/merge them by hand/);
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toBe("#!/bin/sh\necho new\n");
  });

  it("follows core.hooksPath", async () => {
    const repo = tempRepo();
    execFileSync("git", ["-C", repo, "config", "core.hooksPath", ".husky"]);
    const [one] = await installGitHook(repo, process.execPath, "/x.js");
    expect(one?.hook).toBe(join(repo, ".husky", "pre-commit"));
    expect(existsSync(join(repo, ".husky", "pre-commit"))).toBe(true);
  });

  it("lets a commit through with a warning when masc-agent cannot be found", async () => {
    const repo = tempRepo();
    await installGitHook(repo, process.execPath, "/nonexistent/masc-agent.js");
    writeFileSync(join(repo, "a.txt"), "x\n");
    execFileSync("git", ["-C", repo, "add", "."]);
    const out = execFileSync("git", ["-C", repo, "commit", "-q", "-m", "x"], {
      env: { ...process.env, PATH: "/usr/bin:/bin" },
      stdio: "pipe",
    });
    expect(out.toString()).toBe("");
    expect(execFileSync("git", ["-C", repo, "log", "--oneline"]).toString().trim().split("\n")).toHaveLength(2);
  });
});

describe("paths as the room knows them", () => {
  it("maps a file in a masc worktree to its repository path and reads the worktree's agent", () => {
    expect(repoPath("/r", "/r/.worktrees/ann.t1/src/a.ts")).toBe("src/a.ts");
    expect(repoPath("/r", "/r/src/a.ts")).toBe("src/a.ts");
    expect(repoPath("/r", "/elsewhere/a.ts")).toBeNull();
    expect(worktreeAgent("/r", "/r/.worktrees/_ann__x.job_-1")).toBe("Ann_x");
    expect(worktreeAgent("/r", "/r")).toBeNull();
  });
});
