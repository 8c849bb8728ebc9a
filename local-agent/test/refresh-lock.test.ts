import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withLock } from "../src/bridge/refresh-lock.ts";

/** The lock that keeps masc-agent processes sharing one stored sign-in from refreshing it at once. */
describe("the refresh lock beside the stored sign-in", () => {
  let live: ChildProcess;
  let dir: string;
  let path: string;
  const holder = (pid: number, at = Date.now(), host = hostname()) => JSON.stringify({ pid, host, at });
  const ours = () => (JSON.parse(readFileSync(path, "utf8")) as { pid: number }).pid;

  beforeAll(() => {
    live = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  });
  afterAll(() => {
    live.kill();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "masc-lock-"));
    path = join(dir, "oauth.json.lock");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is created for the run and removed after it, also when the run throws", async () => {
    expect(await withLock(path, async () => ours())).toBe(process.pid);
    expect(existsSync(path)).toBe(false);
    await expect(withLock(path, async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(existsSync(path)).toBe(false);
  });

  it("makes the directory of a first sign-in, readable by its owner only", async () => {
    const fresh = join(dir, "masc", "oauth.json.lock");
    expect(await withLock(fresh, async () => existsSync(fresh))).toBe(true);
    expect(statSync(join(dir, "masc")).mode & 0o777).toBe(0o700);
  });

  it("takes over at once a lock whose holder has exited", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(path, holder(dead));
    expect(await withLock(path, async () => ours(), { waitMs: 0 })).toBe(process.pid);
    expect(existsSync(path)).toBe(false);
  });

  it("takes over a lock held past its stale age even when its holder lives, or whose host cannot be asked", async () => {
    writeFileSync(path, holder(live.pid ?? 0, Date.now() - 60_000));
    expect(await withLock(path, async () => ours(), { waitMs: 0 })).toBe(process.pid);
    writeFileSync(path, holder(live.pid ?? 0, Date.now() - 60_000, "another-host"));
    expect(await withLock(path, async () => ours(), { waitMs: 0 })).toBe(process.pid);
  });

  it("judges a lock with nothing readable in it by the file's age", async () => {
    writeFileSync(path, "");
    await expect(withLock(path, async () => "ran", { waitMs: 0 })).rejects.toThrow(/held by another masc-agent/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    expect(await withLock(path, async () => "ran", { waitMs: 0 })).toBe("ran");
  });

  it("waits for a live holder and runs once it lets go", async () => {
    writeFileSync(path, holder(live.pid ?? 0));
    const events: string[] = [];
    let waiting: (pid: number | undefined) => void = () => {};
    const waited = new Promise<number | undefined>((r) => {
      waiting = r;
    });
    const run = withLock(
      path,
      async () => {
        events.push("ran");
        return ours();
      },
      { onWait: (h) => waiting(h?.pid) },
    );
    expect(await waited).toBe(live.pid);
    expect(events).toEqual([]);
    expect(ours()).toBe(live.pid);
    events.push("released");
    rmSync(path);
    expect(await run).toBe(process.pid);
    expect(events).toEqual(["released", "ran"]);
  });

  it("gives up on a live holder after the bounded wait, naming it, and leaves its lock alone", async () => {
    writeFileSync(path, holder(live.pid ?? 0, Date.now(), "another-host"));
    let ran = false;
    await expect(
      withLock(
        path,
        async () => {
          ran = true;
        },
        { waitMs: 200 },
      ),
    ).rejects.toThrow(
      `${path} is held by masc-agent pid ${live.pid} on another-host for over 0.2 s; delete it if no masc-agent is refreshing`,
    );
    expect(ran).toBe(false);
    expect(readFileSync(path, "utf8")).toBe(holder(live.pid ?? 0, JSON.parse(readFileSync(path, "utf8")).at, "another-host"));
  });

  it("runs two holders in one process one after the other", async () => {
    const events: string[] = [];
    const hold = (name: string) =>
      withLock(path, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setImmediate(r));
        events.push(`${name} out`);
      });
    await Promise.all([hold("a"), hold("b")]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
  });
});
