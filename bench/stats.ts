/** Percentiles and throughput of a set of latency samples (milliseconds). */
export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Calls per second over the wall time of the whole run. */
  throughput: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
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

/** Runs `op` `perWorker` times in each of `workers` concurrent loops; returns each call's latency. */
export async function drive(workers: number, perWorker: number, op: (worker: number, i: number) => Promise<void>): Promise<Summary> {
  const samples: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = performance.now();
        await op(w, i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return summarize(samples, performance.now() - start);
}

export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "-");

export interface Measured extends Summary {
  /** CPU ms of the room's workerd process per call, over the whole drive. */
  cpu: number;
  errors: number;
}

/**
 * drive() with the room process's CPU read before and after, and failed calls counted instead of
 * aborting the run (a failed call still counts toward latency).
 */
export async function measure(
  cpu: () => number,
  workers: number,
  perWorker: number,
  op: (worker: number, i: number) => Promise<void>,
): Promise<Measured> {
  let errors = 0;
  let firstError: unknown;
  const before = cpu();
  const s = await drive(workers, perWorker, async (w, i) => {
    try {
      await op(w, i);
    } catch (err) {
      errors++;
      firstError ??= err;
    }
  });
  const used = cpu() - before;
  if (firstError)
    console.error(`  ${errors} failed calls; first: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return { ...s, cpu: used / (s.n || 1), errors };
}

export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : "-");
