/**
 * The Worker's size and startup as wrangler reports them: the bundle `wrangler deploy --dry-run`
 * would upload (KiB and gzip KiB) and the startup CPU profile `wrangler check startup` takes of it
 * (its window and its sampled time). Both build the Worker as a deploy would, offline.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export interface Startup {
  /** What `wrangler deploy` would upload, KiB, and gzipped. */
  bundleKiB: number;
  gzipKiB: number;
  /** `wrangler check startup`: the profile's window and the time its samples cover, ms. */
  profileMs: number;
  sampledMs: number;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function wrangler(args: string[]): string {
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
  return execFileSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 180_000 }).replace(ANSI, "");
}

/** The number after `label` in wrangler's output, or a loud failure if its wording changed. */
function after(text: string, label: RegExp): number {
  const m = label.exec(text);
  if (!m?.[1]) throw new Error(`wrangler's output has no ${label}: ${text.slice(-500)}`);
  return Number.parseFloat(m[1]);
}

/** Builds the Worker once, then profiles its startup. */
export function measureStartup(): Startup {
  const dir = mkdtempSync(join(tmpdir(), "masc-startup-"));
  try {
    const bundle = join(dir, "worker.bundle");
    const built = wrangler(["deploy", "--dry-run", "--outfile", bundle]);
    const checked = wrangler(["check", "startup", "--worker", bundle, "--outfile", join(dir, "startup.cpuprofile")]);
    return {
      bundleKiB: after(built, /Total Upload: ([\d.]+) KiB/),
      gzipKiB: after(built, /gzip: ([\d.]+) KiB/),
      profileMs: after(checked, /Profile window: ([\d.]+) ms/),
      sampledMs: after(checked, /Sampled time: ([\d.]+) ms/),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
