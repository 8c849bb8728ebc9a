/**
 * A new room's first tool call: from no client and no room object to the first answered
 * `tools/call` (`masc_status`), in a room never used before, each era. The room's CPU includes its
 * object's construction and the schema's first migration; the Worker's own startup is what
 * `wrangler check startup` profiles (bench/bundle.ts).
 */
import { median, settled } from "../stats.ts";
import { type Bench, clientMode, connect, ok } from "./common.ts";

export interface FirstCall {
  era: "2025" | "2026";
  rooms: number;
  /** Wall time to the first answer, ms: median and highest over the rooms. */
  p50: number;
  max: number;
  /** The room process's CPU per first call, ms (median over the rooms). */
  cpu: number;
}

export async function benchFirstCall(b: Bench, rooms = 7): Promise<FirstCall[]> {
  const out: FirstCall[] = [];
  const before = clientMode.era;
  try {
    for (const era of ["2025", "2026"] as const) {
      clientMode.era = era;
      const walls: number[] = [];
      const cpus: number[] = [];
      for (let i = 0; i < rooms; i++) {
        const cpu0 = await settled(b.meters.room);
        const t0 = performance.now();
        const agent = await connect(`${b.url}/r/first-${era}-${Date.now()}-${i}/mcp`, "first");
        await ok(agent, "masc_status");
        walls.push(performance.now() - t0);
        await agent.close();
        cpus.push((await settled(b.meters.room)) - cpu0);
      }
      out.push({ era, rooms, p50: median(walls), max: Math.max(...walls), cpu: median(cpus) });
    }
  } finally {
    clientMode.era = before;
  }
  return out;
}
