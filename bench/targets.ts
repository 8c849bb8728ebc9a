/**
 * The targets of issue 13 and how a ratio is printed against them, shared by a single run
 * (bench/run.ts) and the headline over several (bench/spread.ts).
 */

/** A ratio held under a ceiling (CPU, latency) or over a floor (calls/s). */
export type Side = "ceiling" | "floor";

/**
 * Three digits, rounded toward the miss: a ceiling's ratio rounds up and a floor's down, so a
 * printed ratio that reads as meeting its target meets it (0.5996× prints 0.599×, not 0.600×).
 */
export function times(x: number, side: Side = "ceiling"): string {
  if (!Number.isFinite(x)) return "-";
  const round = side === "ceiling" ? Math.ceil : Math.floor;
  return `${(round(x * 1000) / 1000).toFixed(3)}×`;
}

/** `a / b` printed by `times`; "-" when there is no `b` to divide by. */
export const ratio = (a: number, b: number, side: Side = "ceiling") => (b > 0 ? times(a / b, side) : "-");

export const READS = new Set(["masc_status", "masc_tasks"]);

/** What a row at 20 agents must hold, each side against the echo. */
export const opTarget = (name: string) => (READS.has(name) ? { cpu: 1.3, tput: 0.8 } : { cpu: 1.8, tput: 0.6 });
export const MIXED_P99 = 3;
export const GROWN_MAX = 1.2;

/** One judged row: its cell text and the misses it names. */
export interface Verdict {
  cell: string;
  misses: string[];
}

/**
 * Failed calls on either side, or undefined for reports from before failures were counted apart:
 * those show "?" and judge nothing, neither a pass nor a miss.
 */
function errorMark(misses: string[], what: string, errors: number | undefined, echoErrors: number | undefined): string {
  if (errors === undefined || echoErrors === undefined) return "?";
  if (errors === 0 && echoErrors === 0) return "✓";
  misses.push(`${what} ${errors} failed calls (echo ${echoErrors})`);
  return "✗";
}

/**
 * The target cell of an operation row: CPU and calls/s ratios, and no failed call on either side
 * (a failed call is no latency sample, and a ratio over failures says nothing).
 */
export function judgeOp(row: string, name: string, cpu: number, tput: number, errors?: number, echoErrors?: number): Verdict {
  const t = opTarget(name);
  const misses: string[] = [];
  const mark = (ok: boolean, what: string) => {
    if (!ok) misses.push(what);
    return ok ? "✓" : "✗";
  };
  const cpuMark = mark(cpu <= t.cpu, `${row} CPU ${times(cpu)}`);
  const tputMark = mark(tput >= t.tput, `${row} calls/s ${times(tput, "floor")}`);
  const errMark = errorMark(misses, row, errors, echoErrors);
  return { cell: `≤${t.cpu} ${cpuMark} / ≥${t.tput} ${tputMark} / 0 errors ${errMark}`, misses };
}

/** The 50-agent mix: p99 within MIXED_P99 of the echo's, and no failed call. */
export function judgeMixed(p99: number, errors?: number, echoErrors?: number): Verdict {
  const misses: string[] = [];
  if (!(p99 <= MIXED_P99)) misses.push(`mixed p99 ${times(p99)}`);
  const errMark = errorMark(misses, "mixed", errors, echoErrors);
  return { cell: `${p99 <= MIXED_P99 ? "✓" : "✗"} / ${errMark}`, misses };
}

/** The grown room within GROWN_MAX of the small one, CPU and p50, and no failed call in either. */
export function judgeGrown(name: string, cpu: number, p50: number, errors?: number): Verdict {
  const misses: string[] = [];
  if (!(cpu <= GROWN_MAX)) misses.push(`grown ${name} CPU ${times(cpu)}`);
  if (!(p50 <= GROWN_MAX)) misses.push(`grown ${name} p50 ${times(p50)}`);
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  return { cell: `${mark(cpu <= GROWN_MAX)} / ${mark(p50 <= GROWN_MAX)} / ${errorMark(misses, `grown ${name}`, errors, 0)}`, misses };
}

/**
 * A real-time row held to latency bounds in milliseconds (p50 optional) with nothing lost: the
 * mention → channel event (p50 ≤ 50, p99 ≤ 200) and the permission verdict (p99 ≤ 1000).
 */
export function judgeLatency(what: string, bound: { p50?: number; p99: number }, m: { p50: number; p99: number; lost: number }): Verdict {
  const misses: string[] = [];
  if (bound.p50 !== undefined && !(m.p50 <= bound.p50)) misses.push(`${what} p50 ${m.p50.toFixed(1)} ms`);
  if (!(m.p99 <= bound.p99)) misses.push(`${what} p99 ${m.p99.toFixed(1)} ms`);
  if (m.lost > 0) misses.push(`${what} ${m.lost} lost`);
  return { cell: misses.length === 0 ? "✓" : "✗", misses };
}
