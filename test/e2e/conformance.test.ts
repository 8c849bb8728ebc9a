import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startWrangler } from "../helpers/wrangler";

/**
 * The official MCP conformance suite (pinned devDependency) against a real `wrangler dev` with the
 * diagnostic tools on (MASC_CONFORMANCE=1): every check of each scenario must pass, at the
 * 2026-07-28 wire and at 2025-11-25 on the same URL.
 */
const CLI = resolve(import.meta.dirname, "../../node_modules/@modelcontextprotocol/conformance/dist/index.js");

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

function runScenario(url: string, version: string, scenario: string): Promise<Check[]> {
  const out = mkdtempSync(join(tmpdir(), "masc-conformance-"));
  const args = [CLI, "server", "--url", url, "--spec-version", version, "--scenario", scenario, "-o", out, "--timeout", "30000"];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", rej);
    child.on("exit", () => {
      clearTimeout(timer);
      try {
        const dir = readdirSync(out).find((d) => d.startsWith(`server-${scenario}`));
        if (!dir) throw new Error(`${scenario}: the suite wrote no results`);
        res(JSON.parse(readFileSync(join(out, dir, "checks.json"), "utf8")) as Check[]);
      } catch (err) {
        rej(err);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

/** SUCCESS, or a status that is not a verdict (SKIPPED for features masc does not declare, INFO). */
const passed = (c: Check) => c.status === "SUCCESS" || c.status === "SKIPPED" || c.status === "INFO";

const SCENARIOS: Record<string, string[]> = {
  "2026-07-28": [
    "server-stateless",
    "caching",
    "tools-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "sep-2164-resource-not-found",
  ],
  "2025-11-25": [
    "server-initialize",
    "ping",
    "logging-set-level",
    "tools-list",
    "resources-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "server-session-lifecycle",
  ],
};

let server: DevServer;

beforeAll(async () => {
  server = await startWrangler({ vars: { MASC_CONFORMANCE: "1" } });
});

afterAll(async () => {
  await server?.stop();
});

describe("MCP conformance suite", () => {
  for (const [version, scenarios] of Object.entries(SCENARIOS)) {
    for (const scenario of scenarios) {
      it(`${version} ${scenario}`, { timeout: 90_000 }, async () => {
        const checks = await runScenario(`${server.url}/mcp`, version, scenario);
        expect(checks.length).toBeGreaterThan(0);
        const failed = checks.filter((c) => !passed(c)).map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? ""}`);
        console.log(`${version} ${scenario}: ${checks.filter((c) => c.status === "SUCCESS").length}/${checks.length} SUCCESS`);
        expect(failed).toEqual([]);
      });
    }
  }
});
