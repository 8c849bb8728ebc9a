/** Percentiles and throughput of a set of latency samples (milliseconds). */
export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Successful calls per second over the wall time of the whole run. */
  throughput: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[Math.floor((sorted.length - 1) / 2)];
  const hi = sorted[Math.floor(sorted.length / 2)];
  return lo === undefined || hi === undefined ? Number.NaN : (lo + hi) / 2;
}

export function summarize(samples: readonly number[], wallMs: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean,
    throughput: wallMs > 0 ? (sorted.length * 1000) / wallMs : 0,
  };
}

/** Rounds a row alternates its two sides in, unless the caller says otherwise. */
const ROUNDS = 6;
const QUIET_WINDOW_MS = 100;
const QUIET_LIMIT_MS = 3000;

/**
 * The room process's CPU once it has been idle for a whole window (no 10 ms tick spent), or after
 * QUIET_LIMIT_MS: a room that never goes idle is measured as it is.
 */
export async function settled(cpu: () => number): Promise<number> {
  const end = performance.now() + QUIET_LIMIT_MS;
  let last = cpu();
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, QUIET_WINDOW_MS));
    const now = cpu();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/**
 * CPU clocks (ms) of the processes a call crosses on this machine besides the clients: the room's
 * workerd, and the workerd of wrangler's dev proxy, which every request passes first (the edge has
 * no such hop, but here it takes its share of the same cores).
 */
export interface Meters {
  room: () => number;
  proxy: () => number;
}

/** Latency samples, wall time, CPU and failures gathered over one or more drives. */
export class Tally {
  readonly samples: number[] = [];
  wallMs = 0;
  cpuMs = 0;
  proxyMs = 0;
  clientMs = 0;
  errors = 0;
  firstError: unknown;

  /**
   * Runs `op` `perWorker` times in each of `workers` concurrent loops. Wall time ends with the last
   * call; the room's CPU is read once the room is idle again, so work a call left behind (a
   * publication, the search index's alarm) counts for it and not for the round after it, and the
   * dev proxy's at that same moment (relaying that publication counts too).
   */
  async drive(meters: Meters, workers: number, perWorker: number, op: (worker: number, i: number) => Promise<void>): Promise<void> {
    const before = meters.room();
    const proxy = meters.proxy();
    const client = process.cpuUsage();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; i < perWorker; i++) {
          const t0 = performance.now();
          try {
            await op(w, i);
          } catch (err) {
            // A failed call is counted, not timed: how fast a refusal comes back is no latency of
            // the operation. The run goes on.
            this.errors++;
            this.firstError ??= err;
            continue;
          }
          this.samples.push(performance.now() - t0);
        }
      }),
    );
    this.wallMs += performance.now() - start;
    const used = process.cpuUsage(client);
    this.clientMs += (used.user + used.system) / 1000;
    this.cpuMs += (await settled(meters.room)) - before;
    this.proxyMs += meters.proxy() - proxy;
  }

  result(): Measured {
    if (this.firstError) {
      const e = this.firstError;
      console.error(`  ${this.errors} failed calls; first: ${e instanceof Error ? e.message : String(e)}`);
    }
    const s = summarize(this.samples, this.wallMs);
    const per = (ms: number) => ms / (s.n || 1);
    return { ...s, cpu: per(this.cpuMs), proxyCpu: per(this.proxyMs), clientCpu: per(this.clientMs), errors: this.errors };
  }
}

export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "-");

export interface Measured extends Summary {
  /** CPU ms of the room's workerd process per call, over the whole drive. */
  cpu: number;
  /** CPU ms of the dev proxy's workerd per call. */
  proxyCpu: number;
  /** CPU ms of the clients (this process) per call: on a small machine they share its cores. */
  clientCpu: number;
  errors: number;
}

/**
 * An operation and the echo (or any reference), as many calls each, in alternating rounds (echo,
 * op, op, echo, echo, op …): load that moves during a row weighs on both alike, so their ratio
 * holds on a busy machine. One round of each comes first unmeasured, with indexes `perWorker` and
 * up (so an operation that consumes what an earlier row made needs `perWorker + ceil(perWorker /
 * rounds)` of it): code run for the first time (compiled, cached) is not what a busy room runs.
 */
export async function measureBeside(
  meters: Meters,
  workers: number,
  perWorker: number,
  echo: (worker: number, i: number) => Promise<void>,
  op: (worker: number, i: number) => Promise<void>,
  rounds = ROUNDS,
): Promise<{ m: Measured; echo: Measured }> {
  const [e, m] = await measureSides(meters, workers, perWorker, [echo, op], rounds);
  return { m: m as Measured, echo: e as Measured };
}

/**
 * `measureBeside` with two references: the read echo and the write echo (one row committed), in
 * rounds echo, write echo, op, then op, write echo, echo, and so on.
 */
export async function measureBesideBoth(
  meters: Meters,
  workers: number,
  perWorker: number,
  echo: (worker: number, i: number) => Promise<void>,
  write: (worker: number, i: number) => Promise<void>,
  op: (worker: number, i: number) => Promise<void>,
  rounds = ROUNDS,
): Promise<{ m: Measured; echo: Measured; write: Measured }> {
  const [e, w, m] = await measureSides(meters, workers, perWorker, [echo, write, op], rounds);
  return { m: m as Measured, echo: e as Measured, write: w as Measured };
}

/** Every side in rounds, in order and then in reverse, after one unmeasured round of each. */
async function measureSides(
  meters: Meters,
  workers: number,
  perWorker: number,
  sides: ReadonlyArray<(worker: number, i: number) => Promise<void>>,
  rounds: number,
): Promise<Measured[]> {
  const chunk = Math.ceil(perWorker / rounds);
  const warm = new Tally();
  for (const side of sides) await warm.drive(meters, workers, chunk, (w, i) => side(w, perWorker + i));
  // Its failures are reported like a measured row's (result() prints the first one).
  if (warm.errors) warm.result();
  const tallies = sides.map(() => new Tally());
  for (let from = 0, k = 0; from < perWorker; from += chunk, k++) {
    const n = Math.min(chunk, perWorker - from);
    const order = sides.map((_, j) => j);
    // Every other round runs the other way round (echo, op, op, echo, …): whatever a round leaves
    // behind that settling does not catch falls on every side alike.
    if (k % 2 === 1) order.reverse();
    for (const j of order) {
      const side = sides[j] as (worker: number, i: number) => Promise<void>;
      await (tallies[j] as Tally).drive(meters, workers, n, (w, i) => side(w, from + i));
    }
  }
  return tallies.map((t) => t.result());
}

/** How many of a consumed resource `measureBeside` uses per worker, its unmeasured round included. */
export const withWarmup = (perWorker: number, rounds = ROUNDS) => perWorker + Math.ceil(perWorker / rounds);
