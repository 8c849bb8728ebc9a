/**
 * CPU time and memory of the workerd process that runs the Worker and its Durable Objects, read
 * from /proc. `wrangler dev` starts two workerd processes: the entry proxy listens on the port we
 * asked for (`--socket-addr=entry=127.0.0.1:<port>`); the other one runs the code.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/** One process of a snapshot of /proc: its id, its parent and its command line. */
export interface Proc {
  pid: number;
  ppid: number;
  args: string[];
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.push({ pid: Number(name), ppid, args: readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0") });
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/**
 * The one workerd under process `root` that is (`entry`) or is not the entry proxy on `port`.
 * Anything but exactly one is an error: measuring the wrong process, or one of two, would give
 * CPU figures that look plausible and mean nothing.
 */
export function pickWorkerd(procs: readonly Proc[], root: number, port: number, entry: boolean): number {
  const kids = new Map<number, Proc[]>();
  for (const p of procs) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const todo = [root];
  for (let pid = todo.shift(); pid !== undefined; pid = todo.shift()) {
    for (const child of kids.get(pid) ?? []) {
      todo.push(child.pid);
      if (child.args[0]?.endsWith("workerd") && child.args.includes(`--socket-addr=entry=127.0.0.1:${port}`) === entry) {
        found.push(child.pid);
      }
    }
  }
  const what = entry ? "entry proxy" : "runtime";
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one ${what} workerd under process ${root}, found ${found.length}${found.length ? ` (${found.join(", ")})` : ""}`,
    );
  }
  return found[0] as number;
}

/** The runtime workerd: the Worker and its Durable Objects. */
export function roomProcess(root: number, port: number): number {
  return pickWorkerd(processes(), root, port, false);
}

/** The entry proxy's workerd, in front of the runtime in `wrangler dev` only. */
export function proxyProcess(root: number, port: number): number {
  return pickWorkerd(processes(), root, port, true);
}

/** utime + stime of the process, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat(5), counted after the ")" that ends the command name.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident memory of the process, in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
