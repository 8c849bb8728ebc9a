import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { normalizeLockPath, pathKey } from "../../src/room/paths";

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
    ["src/cafe\u0301.ts", "src/caf\u00e9.ts"],
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
    ["src/a\u0085.ts", "C1 control"],
    ["src/a\u2028.ts", "line or paragraph separator"],
    ["src/a\u2029.ts", "line or paragraph separator"],
    ["src/\u202egp.ts", "bidirectional control"],
    ["src/\u2066a.ts", "bidirectional control"],
    ["src/a\u200b.ts", "zero-width"],
    ["src/a\u200d.ts", "zero-width"],
    ["src/\ufeffa.ts", "zero-width"],
    ["src/e.ts.", "ending in '.' or a space"],
    ["src/e.ts ", "ending in '.' or a space"],
    ["src./e.ts", "ending in '.' or a space"],
    ["src/a\u2024ts", "reads as '.'"],
    ["src\uff0fa.ts", "reads as '/'"],
    ["src/\ud800.ts", "lone surrogate"],
  ])("refuses %j naming why (%s)", (raw, why) => {
    const text = refusal(raw);
    expect(text).toMatch(/^invalid_path: /);
    expect(text).toContain(why);
  });
});

describe("path identity (one file, one lock)", () => {
  it.each([
    ["src/Main.ts", "src/main.ts"],
    ["src/cafe\u0301.ts", "src/caf\u00e9.ts"],
    ["src/\ufb01le.ts", "src/file.ts"],
    ["src/\uff21.ts", "src/a.ts"],
    ["src/STRASSE.ts", "src/stra\u00dfe.ts"],
    ["src/\u03a3\u03bf\u03c2.ts", "src/\u03c3\u03bf\u03c3.ts"],
  ])("gives %j and %j one key when case is folded", (a, b) => {
    expect(pathKey(normalizeLockPath(a))).toBe(pathKey(normalizeLockPath(b)));
  });

  it("keeps case apart in exact mode but still joins NFC/NFD and compatibility twins", () => {
    expect(pathKey("src/Main.ts", "exact")).not.toBe(pathKey("src/main.ts", "exact"));
    expect(pathKey(normalizeLockPath("src/cafe\u0301.ts"), "exact")).toBe(pathKey("src/caf\u00e9.ts", "exact"));
    expect(pathKey("src/\ufb01.ts", "exact")).toBe("src/fi.ts");
  });

  it("names the field in the error", () => {
    expect(() => normalizeLockPath("a\u200b", "path")).toThrow(/^path 'a\\u200b' contains a zero-width/);
  });
});
