/**
 * `node bench/spread.ts [--out=bench/results.md] run1.md run2.md …`: the headline of several
 * `./run bench` reports: per operation, era and agent count, the median of each ratio to the echo
 * over the runs, with the lowest and highest, the failed calls, and the targets judged on the
 * median (decision 0038). One run on a shared machine says little; the median of several, with
 * its spread, says how much to trust it. `--out` writes the headline under a title.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { headline, parseReport } from "./headline.ts";

const { values, positionals: files } = parseArgs({ options: { out: { type: "string" } }, allowPositionals: true });
if (files.length === 0) {
  console.error("usage: node bench/spread.ts [--out=file.md] run1.md run2.md …");
  process.exit(2);
}
const reports = files.map((f) => parseReport(readFileSync(f, "utf8")));
const text = headline(
  reports,
  files.map((f) => basename(f)),
);
const how = reports.flatMap((r, i) => r.intro.filter((l) => l.startsWith("Run ")).map((l) => `- ${basename(files[i] as string)}: ${l}`));
const what = reports[0]?.intro.filter((l) => !l.startsWith("Run ")) ?? [];
if (values.out) writeFileSync(values.out, ["# Benchmark results", "", text, "", "## The runs", "", ...how, "", ...what, ""].join("\n"));
console.log(text);
