import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, importsOf, showCycle } from "../helpers/import-cycles";

const ROOT = join(import.meta.dirname, "../..");

describe("import cycles", () => {
  const cycles = findCycles(importGraph([join(ROOT, "src"), join(ROOT, "local-agent/src")])).map((c) => showCycle(c, ROOT));

  it("src/ and local-agent/src/ import in one direction: no file reaches itself, type-only imports included", () => {
    expect(cycles).toEqual([]);
  });

  it("finds a cycle closed by a type-only import, and no edge in a commented-out import", () => {
    const fixture = join(import.meta.dirname, "fixtures/cycles");
    const found = findCycles(importGraph([fixture])).map((c) => showCycle(c, fixture));
    expect(found).toEqual(["a.ts -> b.ts -> c.ts -> a.ts"]);
  });

  it("reads every static import form, multi-line ones too, and leaves packages and comments out of the graph", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      "import {",
      "  c,",
      "  d,",
      '} from "../c";',
      'import "./side-effect";',
      'export { e } from "./e";',
      'export type * from "./f";',
      'type G = typeof import("./g");',
      '// import { h } from "./h";',
      '/* import { i } from "./i"; */',
      'const url = "http://example.com"; // import { j } from "./j"',
      'import { z } from "zod";',
    ].join("\n");
    expect(importsOf(source).sort()).toEqual(["../c", "./a", "./b", "./e", "./f", "./g", "./side-effect", "zod"].sort());
  });
});
