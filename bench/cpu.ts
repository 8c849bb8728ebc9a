/**
 * CPU time and memory of the workerd process that runs the Worker and its Durable Objects, read
 * from /proc. `wrangler dev` starts two workerd processes: the entry proxy listens on the port we
 * asked for (`--socket-addr=entry=127.0.0.1:<port>`); the other one runs the code.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function children(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = out.get(ppid) ?? [];
      list.push(Number(name));
      out.set(ppid, list);
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** The workerd under the wrangler process `root` that is (`entry`) or is not the entry proxy on `port`. */
function workerdUnder(root: number, port: number, entry: boolean): number {
  const tree = children();
  const todo = [root];
  for (let pid = todo.shift(); pid !== undefined; pid = todo.shift()) {
    for (const child of tree.get(pid) ?? []) {
      todo.push(child);
      const args = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("workerd") && args.includes(`--socket-addr=entry=127.0.0.1:${port}`) === entry) return child;
    }
  }
  throw new Error(`no ${entry ? "entry proxy" : "runtime"} workerd under process ${root}`);
}

/** The runtime workerd: the Worker and its Durable Objects. */
export function roomProcess(root: number, port: number): number {
  return workerdUnder(root, port, false);
}

/** The entry proxy's workerd, in front of the runtime in `wrangler dev` only. */
export function proxyProcess(root: number, port: number): number {
  return workerdUnder(root, port, true);
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
