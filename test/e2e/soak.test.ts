import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

function soak(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--no-warnings", "soak/run.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    // The soak kills its own server on SIGTERM.
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/** CI's soak: `./run soak` for 90 s, ten agents, kill -9 every 25 s (the full hour is bench/soak-results.md). */
describe("the soak, 90 s with kill -9 every 25 s", () => {
  it("keeps every acknowledged write, one owner per task and lock, a contiguous seq, and every event once per listener", async () => {
    const run = await soak(["--minutes", "1.5", "--agents", "10", "--kill-every", "25"], 240_000);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("finding:"))).toEqual([]);
    expect(run.code).toBe(0);
    const summary = run.stdout.trim().split("\n");
    expect(summary).toHaveLength(1);
    const m =
      /^soak ok: [\d.]+ min, 10 agents \(5 on 2025-11-25, 5 on 2026-07-28\), (\d+) kills .*?, (\d+) writes acknowledged, (\d+)\/(\d+) acknowledged records found after the last kill, (\d+) events delivered to listeners, 0 findings$/.exec(
        summary[0] ?? "",
      );
    expect(m, summary[0]).not.toBeNull();
    const [kills, writes, found, records, delivered] = (m as RegExpExecArray).slice(1).map(Number);
    // Kills at 25, 50 and 75 s of load, and the last one after it.
    expect(kills).toBe(4);
    expect(writes).toBeGreaterThan(100);
    expect(found).toBe(records);
    expect(delivered).toBeGreaterThan(writes as number);
  }, 300_000);

  it("refuses a bad flag, naming it and what it accepts, before starting anything", async () => {
    const run = await soak(["--agents", "many"], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--agents must be a number from 2 to 200, got 'many'");
    expect(run.stdout).toBe("");
  });
});
