/**
 * A CPU profile of the Worker (and its Durable Objects) while a scenario runs, through wrangler's
 * inspector proxy (Chrome DevTools protocol: Profiler.enable/start/stop). Prints the functions with
 * the most self time, and with the most total time, and can save the .cpuprofile for DevTools.
 */
import { writeFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Profiler {
  stop(): Promise<Profile>;
}

export async function startProfile(inspectorPort: number): Promise<Profiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const target = targets[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error("the inspector lists no target");
  // wrangler's proxy wants an Origin it allows; undici's WebSocket takes extra headers this way.
  const ws = new WebSocket(target, { headers: { origin: "http://localhost" } } as unknown as string[]);
  await new Promise((res, rej) => {
    ws.addEventListener("open", res, { once: true });
    ws.addEventListener("error", rej, { once: true });
  });
  let next = 0;
  const pending = new Map<number, (r: unknown) => void>();
  ws.addEventListener("message", (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((res) => {
      const id = ++next;
      pending.set(id, res);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  return {
    async stop() {
      const { profile } = (await send("Profiler.stop")) as { profile: Profile };
      ws.close();
      return profile;
    },
  };
}

const where = (n: Node) => {
  const f = n.callFrame;
  const file = f.url.split("/").slice(-2).join("/");
  return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
};

/** Self and total time per function (summed over all its nodes), as shares of the sampled time. */
export function summarizeProfile(p: Profile, top = 25): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (const [i, id] of p.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    self.set(where(n), (self.get(where(n)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = where(byId.get(at) as Node);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `| ${pct(us)} | ${k} |`);
  return [
    `Sampled ${(total / 1000).toFixed(0)} ms of the isolate's time.`,
    "",
    "| self | function |",
    "|---:|---|",
    ...rows(self),
    "",
    "| total | function |",
    "|---:|---|",
    ...rows(incl).slice(0, top + 10),
  ].join("\n");
}

export function saveProfile(p: Profile, file: string): void {
  writeFileSync(file, JSON.stringify(p));
}
