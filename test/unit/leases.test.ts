import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import type { TextCodec } from "../../src/room/codec";
import { leave, markZombies } from "../../src/room/departures";
import { hookInfo } from "../../src/room/hook";
import { acquireLock, expireLocks, listLocks, releaseLock, setLockCase } from "../../src/room/locks";
import type { Db } from "../../src/room/sql";
import { mascError as error } from "../helpers/errors";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const plain = { open: async (_f: string, s: string) => s, seal: async (_f: string, s: string) => s } as unknown as TextCodec;

describe("one file, one lock", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "ann");
    join(db, T0, "bob");
  });

  it.each([
    ["src/Main.ts", "src/main.ts"],
    ["src/cafe\u0301.ts", "src/caf\u00e9.ts"],
    ["src/\ufb01le.ts", "src/file.ts"],
  ])("refuses %j to bob while ann holds %j", (a, b) => {
    acquireLock(db, T0, "ann", a);
    const err = error(() => acquireLock(db, T0, "bob", b));
    expect(err.code).toBe("lock_held");
    expect(err.message).toContain("ann");
    expect(error(() => releaseLock(db, T0, "bob", b)).code).toBe("lock_not_held");
    expect(releaseLock(db, T0, "ann", b).holder).toBe("ann");
  });

  it("keeps case apart when the room sets lock_case exact, and refuses the switch while locks are held", () => {
    acquireLock(db, T0, "ann", "src/a.ts");
    expect(error(() => setLockCase(db, T0, "exact", null)).code).toBe("conflict");
    expect(error(() => setLockCase(db, T0, "exact", { role: "worker" })).code).toBe("forbidden");
    releaseLock(db, T0, "ann", "src/a.ts");
    setLockCase(db, T0, "exact", null);
    acquireLock(db, T0, "ann", "src/Main.ts");
    expect(acquireLock(db, T0, "bob", "src/main.ts").lock.holder).toBe("bob");
  });

  it("tells the pre-edit hook about a case or normalization twin", async () => {
    acquireLock(db, T0, "ann", "src/Main.ts");
    const info = await hookInfo(db, plain, T0, "bob", ["src/main.ts"]);
    expect(info.lock).toMatchObject({ file: "src/Main.ts", holder: "ann" });
  });
});

describe("directory and glob leases", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "ann");
    join(db, T0, "bob");
  });

  it("refuses a file lock inside another's glob, naming holder and pattern", () => {
    acquireLock(db, T0, "ann", "src/auth/**", 60);
    const err = error(() => acquireLock(db, T0, "bob", "src/Auth/new.ts"));
    expect(err.code).toBe("lock_held");
    expect(err.message).toMatch(/^src\/Auth\/new\.ts is inside src\/auth\/\*\* leased by ann until /);
    expect(err.data).toMatchObject({ holder: "ann", conflict: "src/auth/**" });
  });

  it("refuses a glob over another's file, naming the file", () => {
    acquireLock(db, T0, "bob", "db/1.sql");
    const err = error(() => acquireLock(db, T0, "ann", "**/*.sql"));
    expect(err.message).toMatch(/^\*\*\/\*\.sql covers db\/1\.sql, locked by bob until /);
    const dir = error(() => acquireLock(db, T0, "ann", "db/"));
    expect(dir.message).toMatch(/^db\/ covers db\/1\.sql/);
    expect(listLocks(db, T0, { limit: 10 }).count).toBe(1);
  });

  it("refuses overlapping leases, lets the holder nest its own, and treats src/auth/ and src/auth/** as one lease", () => {
    acquireLock(db, T0, "ann", "src/auth/");
    expect(error(() => acquireLock(db, T0, "bob", "src/**/*.ts")).message).toMatch(/overlaps src\/auth\/, leased by ann/);
    expect(error(() => acquireLock(db, T0, "bob", "src/auth/**")).message).toMatch(/is locked by ann/);
    expect(acquireLock(db, T0, "ann", "src/auth/login.ts").lock.kind).toBe("file");
    expect(acquireLock(db, T0, "ann", "src/auth/**").refreshed).toBe(true);
    expect(acquireLock(db, T0, "bob", "src/authz/**").lock.kind).toBe("glob");
  });

  it("caps wildcards per pattern and live leases per agent", () => {
    expect(error(() => acquireLock(db, T0, "ann", `src/${"*a".repeat(13)}`)).message).toMatch(/has 13 wildcards; at most 12/);
    for (let i = 0; i < 50; i++) acquireLock(db, T0, "ann", `d${i}/`);
    expect(error(() => acquireLock(db, T0, "ann", "d50/")).message).toMatch(/already holds 50 directory\/glob leases/);
    expect(acquireLock(db, T0, "ann", "d0/").refreshed).toBe(true);
    expect(acquireLock(db, T0, "ann", "file.ts").lock.kind).toBe("file");
  });

  it("expires, releases on leave and on zombie, and raises the fencing token", () => {
    expect(acquireLock(db, T0, "ann", "src/", 10).lock).toMatchObject({ file: "src/", kind: "dir", token: 1 });
    expect(expireLocks(db, T0 + 10_000)).toEqual(["src/**"]);
    expect(acquireLock(db, T0 + 10_000, "bob", "src/a.ts").lock.holder).toBe("bob");
    expect(leave(db, T0 + 10_000, "bob").released).toContain("lock:src/a.ts");
    expect(acquireLock(db, T0 + 10_000, "ann", "src/").lock.token).toBe(2);
    expect(markZombies(db, T0 + 400_000, 300_000)).toContain("ann");
    join(db, T0 + 400_000, "bob");
    expect(acquireLock(db, T0 + 400_000, "bob", "src/x/**").lock.holder).toBe("bob");
  });

  it("lists leases with their kind, and the hook refuses an edit under another's lease", async () => {
    acquireLock(db, T0, "ann", "src/auth/**");
    acquireLock(db, T0, "bob", "README.md");
    expect(listLocks(db, T0, { limit: 10 }).locks.map((l) => [l.file, l.kind])).toEqual([
      ["README.md", "file"],
      ["src/auth/**", "glob"],
    ]);
    const info = await hookInfo(db, plain, T0, "bob", ["README.md", "src/auth/deep/a.ts", "src/other.ts"]);
    expect(info.locks.map((l) => [l.path, l.file, l.holder])).toEqual([["src/auth/deep/a.ts", "src/auth/**", "ann"]]);
    expect((await hookInfo(db, plain, T0, "ann", ["src/auth/a.ts"])).lock).toBeNull();
  });
});
