import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";

const AGENT_DIR = resolve(import.meta.dirname, "../../local-agent");

/**
 * `npm pack` of masc-agent installed into `work/prefix`, as a user gets it; returns the PATH that
 * finds its installed command first.
 */
export function installPackedAgent(work: string): { path: string; tarball: string } {
  execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: AGENT_DIR, stdio: "pipe" });
  const tarball = readdirSync(work).find((f) => /^masc-agent-.*\.tgz$/.test(f));
  if (!tarball) throw new Error("npm pack made no masc-agent tarball");
  const prefix = join(work, "prefix");
  execFileSync("npm", ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", join(work, tarball)], { stdio: "pipe" });
  return { path: [join(prefix, "bin"), dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter), tarball };
}
