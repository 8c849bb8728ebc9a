import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * Every module specifier a TypeScript file names statically: `import … from`, `import "…"`,
 * `export … from`, type-only forms included, `import("…")` with a literal (a type position
 * such as `typeof import("…")` is a dependency all the same) and `require("…")`. Comments are
 * dropped first.
 */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1]) out.push(m[1]);
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative specifier names, tried as written, with .ts, and as a folder's index.ts. */
function resolveImport(from: string, spec: string, files: ReadonlySet<string>): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")]) {
    if (files.has(candidate)) return candidate;
  }
  return null;
}

/** Each file under `roots` and the files of those roots it imports (packages left out). */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const files = new Set(roots.flatMap((r) => sourceFiles(resolve(r))));
  const graph = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    const targets = importsOf(readFileSync(file, "utf8")).flatMap((spec) => resolveImport(file, spec, files) ?? []);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The graph's import cycles, each as its files in import order, found by a depth-first search: a
 * cycle is an edge back to a file still on the search's path. Each back edge is reported once,
 * so a tangle of files shows as several cycles that share files.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const s = state.get(next);
      if (s === "open") cycles.push(path.slice(path.indexOf(next)));
      else if (s === undefined) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

/** A cycle as paths relative to `base`, in a fixed order (starting at its first file by name) so it reads the same every run. */
export function showCycle(cycle: readonly string[], base: string): string {
  const names = cycle.map((f) => relative(base, f));
  const start = names.indexOf([...names].sort()[0] ?? "");
  return [...names.slice(start), ...names.slice(0, start), names[start]].join(" -> ");
}
