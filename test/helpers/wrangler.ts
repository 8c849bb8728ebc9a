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
  /** How many starts failed because a port was taken and were retried on fresh ports. */
  portRetries: () => number;
  stop(): Promise<void>;
  /** Stops the process and starts a new one on the same port and state directory, after `downMs` if given. */
  restart(downMs?: number): Promise<void>;
  /** SIGKILL to wrangler's whole process group (needs `ownGroup`), waiting until wrangler is gone. */
  crash(): Promise<void>;
  /** Starts again on the same port and state after `crash()`. */
  start(): Promise<void>;
}

export interface DevOptions {
  vars?: Record<string, string>;
  persistDir?: string;
  timeoutMs?: number;
  /** The port to try first (a fresh one is taken if wrangler finds it in use). */
  port?: number;
  inspectorPort?: number;
  /** Runs wrangler as the leader of its own process group, so `crash()` can kill it and every workerd at once. */
  ownGroup?: boolean;
}

/** Starts on fresh ports after this many "Address already in use" failures. */
const PORT_ATTEMPTS = 5;
const IN_USE = /Address already in use|EADDRINUSE/;

/** Starts a real `wrangler dev` on loopback with its own state directory; bounded in time. */
export async function startWrangler(opts: DevOptions = {}): Promise<DevServer> {
  let port = opts.port ?? (await freePort());
  let inspector = opts.inspectorPort ?? (await freePort());
  const persistDir = opts.persistDir ?? mkdtempSync(join(tmpdir(), "masc-e2e-"));
  const ownsDir = opts.persistDir === undefined;
  let output = "";
  let retries = 0;
  let child: ChildProcess;

  const spawnOnce = async (): Promise<"up" | "in-use"> => {
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
    let own = "";
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: opts.ownGroup === true,
    });
    child.stdout?.on("data", (d) => {
      output += d;
      own += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
      own += d;
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        // freePort's probe is closed before wrangler binds, so another server may take the port first.
        if (IN_USE.test(own)) return "in-use";
        throw new Error(`wrangler dev exited ${child.exitCode}:\n${output}`);
      }
      try {
        // Bounded: whatever took the port may accept and never answer.
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return "up";
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    killTree("SIGKILL");
    throw new Error(`wrangler dev did not answer /health in time:\n${output}`);
  };

  /** `fixedPort`: a restart keeps its URL, so only the inspector port may move. */
  const launch = async (fixedPort: boolean) => {
    for (let attempt = 1; ; attempt++) {
      if ((await spawnOnce()) === "up") return;
      if (attempt >= PORT_ATTEMPTS) throw new Error(`wrangler dev found its ports in use ${attempt} times:\n${output}`);
      retries++;
      if (!fixedPort) port = await freePort();
      inspector = await freePort();
    }
  };

  const killTree = (signal: NodeJS.Signals) => {
    const pid = child.pid;
    if (opts.ownGroup && pid !== undefined) {
      try {
        process.kill(-pid, signal);
      } catch {
        // the group is already gone
      }
    } else child.kill(signal);
  };

  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    killTree("SIGTERM");
    const timer = setTimeout(() => killTree("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch(false);
  const server: DevServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    inspectorPort: inspector,
    pid: () => child.pid,
    persistDir,
    log: () => output,
    portRetries: () => retries,
    stop: async () => {
      await halt();
      if (ownsDir) rmSync(persistDir, { recursive: true, force: true });
    },
    restart: async (downMs = 0) => {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch(true);
      server.inspectorPort = inspector;
    },
    crash: async () => {
      if (!opts.ownGroup) throw new Error("crash() needs ownGroup: true");
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      killTree("SIGKILL");
      await exited;
    },
    start: async () => {
      await launch(true);
      server.inspectorPort = inspector;
    },
  };
  return server;
}
