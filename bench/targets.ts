/**
 * The targets of issues 13 and 27 and how a ratio is printed against them, shared by a single run
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

/**
 * What an operation row must hold. Reads against the read echo, at 20 agents: CPU ≤ 1.3×, calls/s ≥
 * 0.8×. Writes against the write echo (one row committed): CPU ≤ 1.25× with one agent and ≤ 1.5×
 * with 20 (each write pushed to every stream); at 20 agents the 2026 era's calls/s ≥ 0.6× of the
 * read echo's. The 2025 era's write calls/s is reported, not judged: on a two-core machine it
 * prices the official clients' handling of twenty pushes per write (decisions 0034, 0043).
 */
export function opTarget(name: string, era: string, agents: number): { cpu?: number; writeCpu?: number; tput?: number } {
  if (READS.has(name)) return agents === 20 ? { cpu: 1.3, tput: 0.8 } : {};
  if (agents === 1) return { writeCpu: 1.25 };
  if (agents === 20) return era === "2025" ? { writeCpu: 1.5 } : { writeCpu: 1.5, tput: 0.6 };
  return {};
}
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

/** One operation row's ratios; undefined where the report had no such column. */
export interface OpRatios {
  /** Room CPU per call over the read echo's. */
  cpu: number;
  /** Calls/s over the read echo's. */
  tput: number;
  /** Room CPU per call over the write echo's (reports from before decision 0043 have none). */
  writeCpu?: number;
  errors?: number;
  /** Failed calls of the echoes, both summed. */
  echoErrors?: number;
}

/**
 * The target cell of an operation row, or undefined for a row no target judges: the CPU and
 * calls/s ratios its kind is held to, and no failed call on any side (a failed call is no latency
 * sample, and a ratio over failures says nothing).
 */
export function judgeOp(row: string, name: string, era: string, agents: number, r: OpRatios): Verdict | undefined {
  const t = opTarget(name, era, agents);
  if (t.cpu === undefined && t.writeCpu === undefined) return undefined;
  const misses: string[] = [];
  const mark = (ok: boolean, what: string) => {
    if (!ok) misses.push(what);
    return ok ? "✓" : "✗";
  };
  const parts: string[] = [];
  if (t.cpu !== undefined) parts.push(`≤${t.cpu} ${mark(r.cpu <= t.cpu, `${row} CPU ${times(r.cpu)}`)}`);
  if (t.writeCpu !== undefined) {
    const w = r.writeCpu;
    const ok = w === undefined ? "?" : mark(w <= t.writeCpu, `${row} CPU ${times(w)} of the write echo`);
    parts.push(`write echo ≤${t.writeCpu} ${ok}`);
  }
  if (t.tput !== undefined) parts.push(`≥${t.tput} ${mark(r.tput >= t.tput, `${row} calls/s ${times(r.tput, "floor")}`)}`);
  else if (agents === 20) parts.push("calls/s not judged");
  parts.push(`0 errors ${errorMark(misses, row, r.errors, r.echoErrors)}`);
  return { cell: parts.join(" / "), misses };
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
