import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import ajvAbsent from "../../src/mcp/ajv-absent.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** wrangler.toml's `[alias]` table: the modules the deployed Worker swaps out. */
function aliases(): Record<string, string> {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const table = /^\[alias\]\n((?:(?!\[).*\n)*)/m.exec(toml)?.[1] ?? "";
  return Object.fromEntries([...table.matchAll(/^"([^"]+)" = "([^"]+)"$/gm)].map((m) => [m[1], join(ROOT, m[2] as string)]));
}

/**
 * The Worker as wrangler bundles it (same entry, conditions and aliases; no minify), metafile only:
 * a second or two, where a real `wrangler deploy --dry-run` also builds the browser assets.
 */
async function bundleWorker(): Promise<{ inputs: string[]; bytes: number; meta: Metafile }> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/index.ts"],
    bundle: true,
    format: "esm",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    alias: aliases(),
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const meta = result.metafile as Metafile;
  const output = Object.values(meta.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k]) => k);
  return { inputs, bytes: output?.bytes ?? 0, meta };
}

let built: ReturnType<typeof bundleWorker> | undefined;
/** One build for both tests. */
const workerInputs = () => {
  built ??= bundleWorker();
  return built;
};

/** Every input an isolate evaluates at start: reached from the entry by static imports only. */
function loadedAtStart(meta: Metafile): Set<string> {
  const seen = new Set(["src/index.ts"]);
  const queue = ["src/index.ts"];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const im of meta.inputs[file]?.imports ?? []) {
      if (im.external || im.kind === "dynamic-import" || seen.has(im.path)) continue;
      seen.add(im.path);
      queue.push(im.path);
    }
  }
  return seen;
}

describe("what the Worker bundle carries (decision 0044)", () => {
  it("leaves out ajv, the second JSON Schema engine and zod's locales, and stays under its budget", { timeout: 30_000 }, async () => {
    const { inputs, bytes } = await workerInputs();
    const from = (pkg: string) => inputs.filter((f) => f.includes(`node_modules/${pkg}/`));
    // ajv: the v1 SDK's default validator, never built (masc passes its own); aliased away.
    expect(from("ajv")).toEqual([]);
    expect(from("ajv-formats")).toEqual([]);
    expect(from("fast-uri")).toEqual([]);
    // The v2 SDK carries its own copy of ajv for Node; on workerd it must pick the cf-worker one.
    expect(inputs.filter((f) => f.includes("@modelcontextprotocol/server/dist/ajvProvider"))).toEqual([]);
    // One @cfworker/json-schema: the copy inside @modelcontextprotocol/server, used by both lanes.
    expect(from("@cfworker/json-schema")).toEqual([]);
    expect(inputs.some((f) => f.includes("@modelcontextprotocol/server/dist/cfWorkerProvider"))).toBe(true);
    // zod's messages in English only: a named `import { z }` would bring in all of its locales.
    expect(from("zod").filter((f) => f.includes("/locales/") && !f.endsWith("/locales/en.js"))).toEqual([]);
    // Both SDK generations stay: each serves one protocol era (see the decision).
    expect(from("@modelcontextprotocol/sdk").length).toBeGreaterThan(0);
    expect(from("@modelcontextprotocol/server").length).toBeGreaterThan(0);
    // 1,977 KiB when this was written (2,777 KiB before the cut); the budget leaves room to grow.
    expect(bytes / 1024).toBeLessThan(2200);
  });

  it("starts an isolate without graphql-js: the room's /graphql route imports it on first use", { timeout: 30_000 }, async () => {
    const { meta, inputs } = await workerInputs();
    const atStart = [...loadedAtStart(meta)];
    expect(atStart.length).toBeGreaterThan(100);
    expect(inputs).toContain("src/graphql/handler.ts");
    expect(atStart).not.toContain("src/graphql/handler.ts");
    expect(atStart.filter((f) => f.includes("node_modules/graphql/"))).toEqual([]);
    expect(inputs.some((f) => f.includes("node_modules/graphql/"))).toBe(true);
  });

  it("what ajv resolves to in the Worker says which option was left out, if a server ever asks for it", () => {
    expect(() => new (ajvAbsent as unknown as new () => object)()).toThrow(/pass jsonSchemaValidator \(src\/mcp\/validator\.ts\)/);
  });
});
