import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "../src/cli/output.ts";

/** A real git repository with one commit on main, in a fresh temporary directory. */
export function tempRepo(name = "demo-repo"): string {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), "masc-git-")));
  const root = join(parent, name);
  execFileSync("git", ["init", "-q", "-b", "main", root]);
  const g = (...args: string[]) => execFileSync("git", ["-C", root, ...args]);
  g("config", "user.email", "t@example.com");
  g("config", "user.name", "t");
  writeFileSync(join(root, "README.md"), "hello\n");
  g("add", ".");
  g("commit", "-q", "-m", "init");
  return root;
}

export function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}
