import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf } from "../helpers/import-cycles";

const SRC = join(import.meta.dirname, "../../src");
const ROOM = join(SRC, "room");

/** What a file of src/room/ (its path inside the folder) names outside the folder: packages, `cloudflare:*`, `../…`. */
function leavingImports(file: string, text: string): string[] {
  return importsOf(text).filter((spec) => {
    if (!spec.startsWith(".")) return true;
    const inside = posix.normalize(posix.join(posix.dirname(file), spec));
    return inside === ".." || inside.startsWith("../");
  });
}

/** The .ts files under a folder, as paths inside it. */
function tsFiles(dir = ROOM, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return tsFiles(join(dir, e.name), `${prefix}${e.name}/`);
    return e.name.endsWith(".ts") ? [`${prefix}${e.name}`] : [];
  });
}

describe("src/room/ is the domain: it imports nothing outside itself", () => {
  it("no file of src/room/ imports, re-exports or loads anything outside src/room/", () => {
    const files = tsFiles();
    expect(files.length).toBeGreaterThan(40);
    const leaving = files.flatMap((f) => leavingImports(f, readFileSync(join(ROOM, f), "utf8")).map((spec) => `${f} -> ${spec}`));
    expect(leaving).toEqual([]);
  });

  it("the check reads the folder's own imports (it is not blind)", () => {
    const text = readFileSync(join(ROOM, "tasks.ts"), "utf8");
    const all = importsOf(text);
    expect(all).toContain("./agents");
    expect(all).toContain("./events");
  });

  it("the check names every way out of the folder, and lets the folder's own paths through", () => {
    const fixture = [
      'import type { Category, Mode } from "../mcp/modes";',
      'import {\n  handleMcp,\n  other,\n} from "../mcp/endpoint";',
      'export { sseEvent } from "../wire/sse";',
      'export * from "../room-host/core";',
      'import { DurableObject } from "cloudflare:workers";',
      'import type { Server } from "@modelcontextprotocol/sdk/server/index.js";',
      'import "../http/side-effect";',
      'const lazy = await import("../graphql/handler");',
      'let ns: DurableObjectNamespace<import("../directory/directory").Directory>;',
      'const fs = require("node:fs");',
      'import { appendEvent } from "./events";',
      'export { fail } from "./errors";',
      'import type { Db } from "./sql.ts";',
    ].join("\n");
    expect(leavingImports("tasks.ts", fixture)).toEqual([
      "../mcp/modes",
      "../mcp/endpoint",
      "../wire/sse",
      "../room-host/core",
      "cloudflare:workers",
      "@modelcontextprotocol/sdk/server/index.js",
      "../http/side-effect",
      "../graphql/handler",
      "../directory/directory",
      "node:fs",
    ]);
  });

  it("inside a subfolder, '../' is still the room; '../../' leaves it", () => {
    expect(leavingImports("jobs/gc.ts", 'import { lastSeq } from "../events";')).toEqual([]);
    expect(leavingImports("jobs/gc.ts", 'import { handleMcp } from "../../mcp/endpoint";')).toEqual(["../../mcp/endpoint"]);
  });
});

describe("the layers above the domain", () => {
  it("src/wire/ imports only itself and src/room/: both the Worker and the room's host can take it", () => {
    const leaving = tsFiles(join(SRC, "wire")).flatMap((f) =>
      leavingImports(f, readFileSync(join(SRC, "wire", f), "utf8"))
        .filter((spec) => !spec.startsWith("../room/"))
        .map((spec) => `${f} -> ${spec}`),
    );
    expect(leaving).toEqual([]);
  });

  it("nothing outside src/room-host/ names RoomCore: each user declares the port it needs", () => {
    const named = tsFiles(SRC)
      .filter((f) => !f.startsWith("room-host/"))
      .filter((f) => /\bRoomCore\b/.test(readFileSync(join(SRC, f), "utf8")));
    expect(named).toEqual([]);
  });
});
