import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

export interface DevServer {
  url: string;
  port: number;
  /** wrangler's own inspector proxy (Chrome DevTools protocol), for profiling the Worker. */
  inspectorPort: number;
  persistDir: string;
  /** The wrangler process id (its workerd processes are its descendants). */
  pid: () => number | undefined;
  log: () => string;
  stop(): Promise<void>;
  /** Stops the process and starts a new one on the same port and state directory, after `downMs` if given. */
  restart(downMs?: number): Promise<void>;
}

export interface DevOptions {
  vars?: Record<string, string>;
  persistDir?: string;
  timeoutMs?: number;
}

/** Starts a real `wrangler dev` on loopback with its own state directory; bounded in time. */
export async function startWrangler(opts: DevOptions = {}): Promise<DevServer> {
  const port = await freePort();
  const inspector = await freePort();
  const persistDir = opts.persistDir ?? mkdtempSync(join(tmpdir(), "masc-e2e-"));
  const ownsDir = opts.persistDir === undefined;
  let output = "";
  let child: ChildProcess;

  const launch = async () => {
    const args = [
      WRANGLER,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      persistDir,
      "--log-level",
      "warn",
    ];
    for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited ${child.exitCode}:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    child.kill("SIGKILL");
    throw new Error(`wrangler dev did not answer /health in time:\n${output}`);
  };

  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    inspectorPort: inspector,
    pid: () => child.pid,
    persistDir,
    log: () => output,
    stop: async () => {
      await halt();
      if (ownsDir) rmSync(persistDir, { recursive: true, force: true });
    },
    restart: async (downMs = 0) => {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
  };
}
