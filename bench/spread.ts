/**
 * `node bench/spread.ts run1.md run2.md …`: the spread of several `./run bench --out=…` reports,
 * per operation, era and agent count: the ratios to the echo of each run, lowest to highest.
 * One run on a shared machine says little; the spread says how much to trust it.
 */
import { readFileSync } from "node:fs";
import { median } from "./stats.ts";

const files = process.argv.slice(2);
const rows = new Map<string, { cpu: number[]; tput: number[]; p50: number[] }>();
const mixed: number[] = [];
const grown = new Map<string, { cpu: number[]; p50: number[] }>();
/** Targets each run missed, from its verdict line (reports before it have none). */
const missed: number[] = [];
const num = (s: string | undefined) => Number.parseFloat((s ?? "").replace("×", ""));

for (const file of files) {
  let section = "";
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const verdict = /^Targets(?:: every one met| missed in this run \((\d+)\))/.exec(line);
    if (verdict) missed.push(Number(verdict[1] ?? 0));
    if (line.startsWith("Mixed load")) section = "mixed";
    else if (line.startsWith("Grown room")) section = "grown";
    else if (line.startsWith("| real-time")) section = "";
    if (!line.startsWith("| ") || line.startsWith("|---")) continue;
    const cells = line.split("|").map((c) => c.trim());
    if (cells[1]?.startsWith("masc_") && cells.length >= 17 && section === "") {
      const key = `${cells[1]} | ${cells[2]} | ${cells[3]}`;
      const r = rows.get(key) ?? { cpu: [], tput: [], p50: [] };
      r.cpu.push(num(cells[13]));
      r.tput.push(num(cells[14]));
      r.p50.push(num(cells[15]));
      rows.set(key, r);
    } else if (section === "mixed" && /^\d/.test(cells[1] ?? "")) mixed.push(num(cells[10]));
    else if (section === "grown" && cells[1]?.startsWith("masc_")) {
      const g = grown.get(cells[1]) ?? { cpu: [], p50: [] };
      g.cpu.push(num(cells[4]));
      g.p50.push(num(cells[7]));
      grown.set(cells[1], g);
    }
  }
}

const span = (xs: number[]) => {
  const ok = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (ok.length === 0) return "-";
  const med = median(ok);
  return ok.length === 1 ? `${med.toFixed(2)}×` : `${med.toFixed(2)}× (${ok[0]?.toFixed(2)}–${ok.at(-1)?.toFixed(2)})`;
};

const out = [
  `Spread over ${files.length} runs: median (lowest–highest) of each ratio to the echo of the same run.`,
  "",
  "| operation | era | agents | CPU/call ratio | calls/s ratio | p50 ratio |",
  "|---|---|---:|---:|---:|---:|",
  ...[...rows].map(([k, r]) => `| ${k} | ${span(r.cpu)} | ${span(r.tput)} | ${span(r.p50)} |`),
];
if (mixed.length) out.push("", `Mixed load, 50 agents, p99 ratio to the echo's p99: ${span(mixed)}.`);
if (grown.size) {
  out.push("", "| grown room vs small | CPU/call ratio | p50 ratio |", "|---|---:|---:|");
  for (const [k, g] of grown) out.push(`| ${k} | ${span(g.cpu)} | ${span(g.p50)} |`);
}
if (missed.length) {
  const met = missed.filter((n) => n === 0).length;
  out.push("", `Targets missed per run: ${missed.join(", ")} (${met} of ${missed.length} runs met every one).`);
}
console.log(out.join("\n"));
