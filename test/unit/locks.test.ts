import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { leave, markZombies } from "../../src/room/departures";
import { eventsAfter } from "../../src/room/events";
import { acquireLock, expireLocks, listLocks, nextLockExpiry, releaseLock } from "../../src/room/locks";
import { runDueJobs } from "../../src/room/maintenance";
import type { Db } from "../../src/room/sql";
import { mascError as error } from "../helpers/errors";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const config = { zombieThresholdMs: 300_000, version: "test" };

describe("file locks", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "claude");
    join(db, T0, "gemini");
  });

  it("grants a free path and refuses another agent, naming holder and expiry", () => {
    const { lock } = acquireLock(db, T0, "claude", "src/a.ts", 60);
    expect(lock).toMatchObject({ file: "src/a.ts", holder: "claude", token: 1, expires_in_s: 60 });
    const err = error(() => acquireLock(db, T0 + 1000, "gemini", "./src/a.ts"));
    expect(err.code).toBe("lock_held");
    expect(err.message).toContain("claude");
    expect(err.message).toContain(new Date(T0 + 60_000).toISOString());
    expect(err.data).toMatchObject({ holder: "claude", token: 1 });
  });

  it("lets the holder re-lock to extend it, keeping the same fencing token", () => {
    acquireLock(db, T0, "claude", "src/a.ts", 60);
    const again = acquireLock(db, T0 + 30_000, "claude", "src/a.ts", 60);
    expect(again.refreshed).toBe(true);
    expect(again.lock.token).toBe(1);
    expect(again.lock.expires_at).toBe(new Date(T0 + 90_000).toISOString());
  });

  it("raises the fencing token on every new grant, across unlock and expiry", () => {
    expect(acquireLock(db, T0, "claude", "f", 10).lock.token).toBe(1);
    releaseLock(db, T0 + 1, "claude", "f");
    expect(acquireLock(db, T0 + 2, "gemini", "f", 10).lock.token).toBe(2);
    // Expired but not yet swept by the alarm: free for anyone, with a higher token.
    const taken = acquireLock(db, T0 + 20_000, "claude", "f", 10);
    expect(taken.lock.token).toBe(3);
    expect(taken.refreshed).toBe(false);
    // The holder re-locking its own expired lock gets a new grant too.
    expect(acquireLock(db, T0 + 40_000, "claude", "f", 10).lock.token).toBe(4);
  });

  it("lets only the holder unlock, and says who holds it", () => {
    acquireLock(db, T0, "claude", "src/a.ts");
    const err = error(() => releaseLock(db, T0, "gemini", "src/a.ts"));
    expect(err.code).toBe("lock_not_held");
    expect(err.message).toContain("locked by claude");
    expect(error(() => releaseLock(db, T0, "claude", "other.ts")).code).toBe("lock_not_held");
    expect(releaseLock(db, T0, "claude", "src/a.ts").file).toBe("src/a.ts");
    expect(listLocks(db, T0, { limit: 10 }).count).toBe(0);
  });

  it("expires locks from the alarm job and frees them with an event", () => {
    acquireLock(db, T0, "claude", "a", 10);
    acquireLock(db, T0, "gemini", "b", 100);
    expect(nextLockExpiry(db)).toBe(T0 + 10_000);
    expect(runDueJobs(db, T0 + 10_000, config)).toContain("locks");
    expect(listLocks(db, T0 + 10_000, { limit: 10 }).locks.map((l) => l.file)).toEqual(["b"]);
    expect(eventsAfter(db, 0).some((e) => e.kind === "lock_expired" && e.data.file === "a")).toBe(true);
    expect(expireLocks(db, T0 + 10_001)).toEqual([]);
    expect(nextLockExpiry(db)).toBe(T0 + 100_000);
  });

  it("releases an agent's locks when it leaves or turns zombie", () => {
    acquireLock(db, T0, "claude", "a");
    acquireLock(db, T0, "gemini", "b");
    expect(leave(db, T0, "claude").released).toContain("lock:a");
    expect(markZombies(db, T0 + 400_000, 300_000)).toEqual(["gemini"]);
    expect(listLocks(db, T0 + 400_000, { limit: 10 }).count).toBe(0);
    expect(acquireLock(db, T0 + 400_000, "gemini", "b").lock.token).toBe(2);
  });

  it("pages live locks by path", () => {
    for (const f of ["c", "a", "b"]) acquireLock(db, T0, "claude", f);
    const first = listLocks(db, T0, { limit: 2 });
    expect(first.locks.map((l) => l.file)).toEqual(["a", "b"]);
    expect(first).toMatchObject({ has_more: true, next_cursor: "b", count: 3 });
    expect(listLocks(db, T0, { limit: 2, cursor: "b" }).locks.map((l) => l.file)).toEqual(["c"]);
    expect(listLocks(db, T0, { limit: 5, holder: "gemini" }).count).toBe(0);
  });

  it("refuses agents that have not joined and bad paths without changing anything", () => {
    expect(error(() => acquireLock(db, T0, "stranger", "a")).code).toBe("not_joined");
    expect(error(() => acquireLock(db, T0, "claude", "../x")).code).toBe("invalid_path");
    expect(db.one<{ n: number }>("SELECT COUNT(*) AS n FROM locks")?.n).toBe(0);
  });
});
