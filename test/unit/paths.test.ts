import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { normalizeLockPath } from "../../src/room/paths";

function refusal(raw: string): string {
  try {
    normalizeLockPath(raw);
  } catch (err) {
    if (err instanceof MascError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return "accepted";
}

describe("lock paths", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/a.ts", "src/a.ts"],
    ["src//deep/./b.ts", "src/deep/b.ts"],
    ["src/dir/", "src/dir"],
    ["README.md", "README.md"],
    ["a..b/c", "a..b/c"],
    ["src/.hidden", "src/.hidden"],
  ])("normalises %j to %j", (raw, expected) => {
    expect(normalizeLockPath(raw)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["../outside", "'..'"],
    ["src/../../x", "'..'"],
    ["src/a\u0000.ts", "NUL"],
    ["src\\a.ts", "'/' separators"],
    ["C:/Users/x", "drive letter"],
    ["c:foo", "drive letter"],
    ["~/notes", "'~'"],
    ["./", "names no file"],
    ["a".repeat(513), "longer than 512"],
  ])("refuses %j naming why (%s)", (raw, why) => {
    const text = refusal(raw);
    expect(text).toMatch(/^invalid_path: /);
    expect(text).toContain(why);
  });
});
