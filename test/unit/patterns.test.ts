import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { lockTarget, overlaps } from "../../src/room/patterns";

function refusal(raw: string): string {
  try {
    lockTarget(raw);
  } catch (err) {
    if (err instanceof MascError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return "accepted";
}

describe("lock targets by shape", () => {
  it.each([
    ["src/a.ts", "file", "src/a.ts", "src/a.ts"],
    ["src/Auth/", "dir", "src/Auth/", "src/auth/**"],
    ["src/auth/**", "glob", "src/auth/**", "src/auth/**"],
    ["*.sql", "glob", "*.sql", "*.sql"],
    ["./src//**/*.TS", "glob", "src/**/*.TS", "src/**/*.ts"],
    ["src/*/", "glob", "src/*/**", "src/*/**"],
  ])("reads %j as a %s shown %j with key %j", (raw, kind, shown, key) => {
    expect(lockTarget(raw)).toMatchObject({ kind, shown, key });
  });

  it.each([
    ["src/a.ts", "src/a.ts"],
    ["src/auth/", "src/auth"],
    ["src/a*.ts", "src"],
    ["*.sql", ""],
    ["src/**/x.ts", "src"],
  ])("gives %j the literal prefix %j", (raw, prefix) => {
    expect(lockTarget(raw).prefix).toBe(prefix);
  });

  it.each([
    ["**", "whole repository"],
    ["/", "whole repository"],
    ["./", "whole repository"],
    ["*", "whole repository"],
    ["**/*", "whole repository"],
    ["*/**", "whole repository"],
    ["?/*", "whole repository"],
    ["??", "matches every file"],
    ["src/a**b", "'**' inside the name"],
    ["src/***", "'**' inside the name"],
    ["../**", "'..'"],
    ["/src/**", "absolute"],
    ["src/\u202e**", "bidirectional"],
  ])("refuses %j (%s)", (raw, why) => {
    const text = refusal(raw);
    expect(text).toMatch(/^invalid_path: file '/);
    expect(text).toContain(why);
  });
});

describe("overlap in both directions", () => {
  it.each([
    ["src/auth/**", "src/auth/login.ts", true],
    ["src/auth/**", "src/auth/deep/x/y.ts", true],
    ["src/auth/**", "src/authz/x.ts", false],
    ["src/auth/**", "src/**", true],
    ["src/**/*.sql", "src/db/m/1.sql", true],
    ["src/**/*.sql", "src/db/1.ts", false],
    ["*.sql", "schema.sql", true],
    ["*.sql", "db/schema.sql", false],
    ["src/*.ts", "src/a?.ts", true],
    ["src/a*.ts", "src/*b.ts", true],
    ["src/a*.ts", "src/b*.ts", false],
    ["src/**/x.ts", "src/**/y.ts", false],
    ["src/**/x.ts", "**/y/x.ts", true],
    ["lib/**", "src/**", false],
    ["src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/b.ts", false],
  ])("%j and %j overlap: %s", (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});
