/**
 * Reads `./run bench` reports back and headlines several of them by the per-row median: each ratio
 * is recomputed from the row's own figures (not its printed, rounded ratio), its median over the
 * runs is judged against the targets, and the lowest and highest show the spread.
 */
import { median } from "./stats.ts";
import { judgeGrown, judgeMixed, judgeOp, type Side, times } from "./targets.ts";

/** One row of a report's table, cells by column name. */
type Row = Map<string, string>;

export interface Report {
  ops: Row[];
  mixed: Row[];
  grown: Row[];
  /** The Worker's startup and a new room's first call (decision 0043); none in earlier reports. */
  startup: Row[];
  /** Targets the run missed by its own verdict line; undefined in reports from before it. */
  missed?: number;
  /** The report's opening lines under its title: when, where and what it measured. */
  intro: string[];
}

/** The tables of one report, told apart by their first columns. */
export function parseReport(text: string): Report {
  const report: Report = { ops: [], mixed: [], grown: [], startup: [], intro: [] };
  const lines = text.split("\n");
  let header: string[] | undefined;
  let into: Row[] | undefined;
  for (const [i, line] of lines.entries()) {
    const verdict = /^Targets(?:: every one met| missed in this run \((\d+)\))/.exec(line);
    if (verdict) report.missed = Number(verdict[1] ?? 0);
    if (i > 0 && report.missed === undefined && !verdict && line && !line.startsWith("|") && !line.startsWith("#")) report.intro.push(line);
    if (!line.startsWith("|")) {
      into = undefined;
      continue;
    }
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (lines[i + 1]?.startsWith("|---")) {
      header = cells;
      const [a, b, c] = cells;
      into =
        a === "operation" && b === "era" && c === "agents"
          ? report.ops
          : a === "calls" && b === "errors"
            ? report.mixed
            : a === "operation" && cells.some((h) => h.startsWith("grown CPU"))
              ? report.grown
              : a === "startup"
                ? report.startup
                : undefined;
    } else if (into && header && !line.startsWith("|---")) {
      into.push(new Map(header.map((h, k) => [h, cells[k] ?? ""])));
    }
  }
  return report;
}

const num = (row: Row, col: string) => Number.parseFloat(row.get(col) ?? "");
/** A failure count, or undefined where the report had no such column (before failures were counted apart). */
const count = (row: Row, col: string) => (row.has(col) ? Number(row.get(col)) : undefined);

const sum = (a: number | undefined, b: number) => (a === undefined ? undefined : a + b);

/** The median of a ratio over the runs, printed with the lowest and highest. */
function spread(xs: readonly number[], side: Side): { med: number; text: string } {
  const ok = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const med = median(ok);
  if (ok.length <= 1) return { med, text: times(med, side) };
  return { med, text: `${times(med, side)} (${times(ok[0] as number, side)}–${times(ok.at(-1) as number, side)})` };
}

/**
 * Summed failures over the runs; undefined ("-") unless every run recorded them, since a run that
 * did not may have failed calls hidden among its samples.
 */
function failures(xs: ReadonlyArray<number | undefined>): { n?: number; text: string } {
  if (xs.some((x) => x === undefined)) return { text: "-" };
  const n = (xs as number[]).reduce((a, b) => a + b, 0);
  return { n, text: `${n}` };
}

function group<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** The headline of several reports: per-row medians, their spread, failures, and the targets judged on the medians. */
export function headline(reports: readonly Report[], names: readonly string[] = []): string {
  const misses: string[] = [];
  const out = [
    `Per-row median of ${reports.length} runs${names.length ? ` (${names.join(", ")})` : ""}: each ratio to the echo (the write CPU ratio: to the write echo) of the same run, recomputed from the row's figures; the lowest and highest in brackets; "-" where a run had no write echo (before decision 0043). Ratios print with three digits rounded toward the miss (a CPU or latency ratio up, a calls/s ratio down). The targets are judged on the median. Errors are failed calls summed over the runs (op / echo; "-" and a target of "?" where a run did not count them apart, before decision 0038); a failed call is no latency sample.`,
    "",
    "| operation | era | agents | errors | CPU ratio | write CPU ratio | calls/s ratio | p50 ratio | target on the median: CPU / calls/s / errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  const ops = group(
    reports.flatMap((r) => r.ops),
    (r) => `${r.get("operation")} | ${r.get("era")} | ${r.get("agents")}`,
  );
  for (const [key, rows] of ops) {
    const cpu = spread(
      rows.map((r) => num(r, "CPU ms/call") / num(r, "echo CPU")),
      "ceiling",
    );
    const tput = spread(
      rows.map((r) => num(r, "calls/s") / num(r, "echo calls/s")),
      "floor",
    );
    const p50 = spread(
      rows.map((r) => num(r, "p50 ms") / num(r, "echo p50")),
      "ceiling",
    );
    const write = spread(
      rows.map((r) => num(r, "CPU ms/call") / num(r, "write echo CPU")),
      "ceiling",
    );
    const errs = failures(rows.map((r) => count(r, "errors")));
    // Both echoes' failures; a report from before the write echo counts the read echo's alone.
    const echoErrs = failures(rows.map((r) => sum(count(r, "echo errors"), count(r, "write echo errors") ?? 0)));
    const [name = "", era = "", agents = ""] = key.split(" | ");
    const cell = judgeOp(`${name} ${era} ${agents}`, name, era, Number(agents), {
      cpu: cpu.med,
      tput: tput.med,
      writeCpu: Number.isFinite(write.med) ? write.med : undefined,
      errors: errs.n,
      echoErrors: echoErrs.n,
    });
    if (cell) misses.push(...cell.misses);
    out.push(
      `| ${key} | ${errs.text} / ${echoErrs.text} | ${cpu.text} | ${write.text} | ${tput.text} | ${p50.text} | ${cell?.cell ?? ""} |`,
    );
  }
  const mixed = reports.flatMap((r) => r.mixed);
  if (mixed.length) {
    const p99 = spread(
      mixed.map((r) => num(r, "p99 ms") / num(r, "echo p99")),
      "ceiling",
    );
    const errs = failures(mixed.map((r) => count(r, "errors")));
    const echoErrs = failures(mixed.map((r) => count(r, "echo errors")));
    const v = judgeMixed(p99.med, errs.n, echoErrs.n);
    misses.push(...v.misses);
    out.push(
      "",
      "| mixed load, 50 agents | errors | p99 ratio | target on the median: p99 ≤ 3× / 0 errors |",
      "|---|---:|---:|---|",
      `| ${mixed.length} runs | ${errs.text} / ${echoErrs.text} | ${p99.text} | ${v.cell} |`,
    );
  }
  const grown = group(
    reports.flatMap((r) => r.grown),
    (r) => r.get("operation") ?? "",
  );
  if (grown.size) {
    out.push(
      "",
      "| grown room vs small | errors | CPU/call ratio | p50 ratio | target on the median: ≤ 1.2× CPU / p50 / errors |",
      "|---|---:|---:|---:|---|",
    );
    for (const [name, rows] of grown) {
      const cpu = spread(
        rows.map((r) => num(r, "grown CPU ms") / num(r, "empty CPU ms")),
        "ceiling",
      );
      const p50 = spread(
        rows.map((r) => num(r, "grown p50") / num(r, "empty p50")),
        "ceiling",
      );
      const errs = failures(
        rows.map((r) => {
          const [a, b] = (r.get("errors (empty / grown)") ?? "").split("/").map(Number);
          return r.has("errors (empty / grown)") && a !== undefined && b !== undefined ? a + b : undefined;
        }),
      );
      const v = judgeGrown(name, cpu.med, p50.med, errs.n);
      misses.push(...v.misses);
      out.push(`| ${name} | ${errs.text} | ${cpu.text} | ${p50.text} | ${v.cell} |`);
    }
  }
  const startup = group(
    reports.flatMap((r) => r.startup),
    (r) => r.get("startup") ?? "",
  );
  if (startup.size) {
    out.push("", "| startup and first call | median (lowest–highest) |", "|---|---:|");
    for (const [what, rows] of startup) {
      const xs = rows.map((r) => num(r, "value")).filter(Number.isFinite);
      const lo = Math.min(...xs).toFixed(1);
      const hi = Math.max(...xs).toFixed(1);
      out.push(`| ${what} | ${median(xs).toFixed(1)}${xs.length > 1 ? ` (${lo}–${hi})` : ""} |`);
    }
  }
  const verdict =
    misses.length === 0 ? "Targets: every one met by the median." : `Targets the median missed (${misses.length}): ${misses.join("; ")}.`;
  out.splice(1, 0, "", verdict);
  const perRun = reports.map((r) => r.missed);
  if (perRun.every((m) => m !== undefined)) {
    const met = perRun.filter((m) => m === 0).length;
    out.push(
      "",
      `Targets missed per run, by each run's own verdict: ${perRun.join(", ")} (${met} of ${reports.length} runs met every one).`,
    );
  }
  return out.join("\n");
}
