/**
 * What the Worker ships and what loading it costs: the deployed bundle's size (wrangler's dry run,
 * the size `wrangler deploy` uploads) and the startup CPU `wrangler check startup` profiles, over
 * several runs because one profile on a shared machine is noise. `node bench/bundle.ts [--runs=3]` prints
 * them; bench/run.ts (scenario `startup`) and other scripts import `measureBundle`.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { median } from "./stats.ts";

export interface BundleNumbers {
  /** The uploaded script, KiB. */
  kib: number;
  gzipKib: number;
  /** Median active (non-idle) CPU of the startup profiles, ms. */
  startupMs: number;
  /** Every run's active ms, in order, to show the spread. */
  startupRuns: number[];
  /** Median CPU (user + system) Node spends importing the bundle, ms: see `evalCpuMs`. */
  evalCpuMs: number;
  evalCpuRuns: number[];
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string } }>;
  samples?: number[];
  timeDeltas?: number[];
}

const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/** Active time as wrangler reports it: every sample that is not "(idle)", garbage collection included. */
export function activeMs(profile: CpuProfile): number {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const deltas = profile.timeDeltas ?? [];
  let active = 0;
  deltas.forEach((dt, i) => {
    if (names.get(profile.samples?.[i] ?? 0) !== "(idle)") active += dt;
  });
  return active / 1000;
}

/** Builds the Worker as `wrangler deploy` would (dry run); returns the script and esbuild's metafile. */
export function buildWorker(outdir: string): { script: Buffer; metafile: string } {
  const metafile = join(outdir, "meta.json");
  execFileSync(WRANGLER, ["deploy", "--dry-run", "--outdir", outdir, "--metafile", metafile], { cwd: ROOT, env: ENV, stdio: "pipe" });
  return { script: readFileSync(join(outdir, "index.js")), metafile };
}

/** One `wrangler check startup` run: the active ms of its profile. */
function startupOnce(dir: string, i: number): number {
  const outfile = join(dir, `startup-${i}.cpuprofile`);
  execFileSync(WRANGLER, ["check", "startup", "--outfile", outfile], { cwd: ROOT, env: ENV, stdio: "pipe" });
  return activeMs(JSON.parse(readFileSync(outfile, "utf8")) as CpuProfile);
}

// The Worker imports only two classes from cloudflare:workers, and nothing else the runtime alone has.
const HOOKS = `data:text/javascript,export async function resolve(s, c, next) {
  return s === "cloudflare:workers" ? { url: "data:text/javascript,export class DurableObject {} export class WorkerEntrypoint {}", shortCircuit: true } : next(s, c);
}`;
const IMPORT_ONCE = `import { register } from "node:module";
register(${JSON.stringify(HOOKS)});
const before = process.cpuUsage();
await import(process.argv[1]);
const used = process.cpuUsage(before);
console.log((used.user + used.system) / 1000);`;

/**
 * The CPU time, not the wall time, that evaluating the bundle's top level costs, in a fresh Node
 * per run (the same V8 as workerd). A startup profile samples wall time, so on a busy machine it
 * counts time the process was not even running; this proxy holds up under load. `script` is an ES
 * module file (.mjs).
 */
export function evalCpuMs(script: string, runs = 5): number[] {
  return Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", IMPORT_ONCE, script], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    return Number(String(out).trim().split("\n").at(-1));
  });
}

export function measureBundle(runs = 3): BundleNumbers {
  const dir = mkdtempSync(join(tmpdir(), "masc-bundle-"));
  try {
    const { script } = buildWorker(dir);
    const startupRuns = Array.from({ length: runs }, (_, i) => startupOnce(dir, i));
    // .mjs: Node would otherwise parse it as CommonJS first, fail, and parse it again.
    copyFileSync(join(dir, "index.js"), join(dir, "index.mjs"));
    const evalCpuRuns = evalCpuMs(join(dir, "index.mjs"), Math.max(runs, 5));
    return {
      kib: script.byteLength / 1024,
      gzipKib: gzipSync(script).byteLength / 1024,
      startupMs: median(startupRuns),
      startupRuns,
      evalCpuMs: median(evalCpuRuns),
      evalCpuRuns,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 3);
  const n = measureBundle(runs);
  const spread = `${Math.min(...n.startupRuns).toFixed(1)}–${Math.max(...n.startupRuns).toFixed(1)}`;
  console.log(`bundle ${n.kib.toFixed(2)} KiB, gzip ${n.gzipKib.toFixed(2)} KiB`);
  console.log(`startup ${n.startupMs.toFixed(1)} ms median of ${runs} (${spread}): ${n.startupRuns.map((r) => r.toFixed(1)).join(", ")}`);
  console.log(`import CPU ${n.evalCpuMs.toFixed(1)} ms median: ${n.evalCpuRuns.map((r) => r.toFixed(1)).join(", ")}`);
}
