import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pickWorkerd } from "../../bench/cpu";
import { headline, parseReport } from "../../bench/headline";
import { measureBesideBoth, median, Tally } from "../../bench/stats";
import { judgeGrown, judgeMixed, judgeOp, times } from "../../bench/targets";

describe("bench ratios", () => {
  it("print with three digits rounded toward the miss", () => {
    expect(times(0.5996, "floor")).toBe("0.599×");
    expect(times(0.6, "floor")).toBe("0.600×");
    expect(times(1.8004)).toBe("1.801×");
    expect(times(1.8)).toBe("1.800×");
    expect(times(Number.NaN)).toBe("-");
  });

  it("never print a miss as a pass, nor a pass as a miss", () => {
    const floors = [0.6, 0.8];
    const ceilings = [1.2, 1.25, 1.3, 1.5, 3];
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4, noNaN: true }), (x) => {
        for (const t of floors) expect(Number.parseFloat(times(x, "floor")) >= t).toBe(x >= t);
        for (const t of ceilings) expect(Number.parseFloat(times(x, "ceiling")) <= t).toBe(x <= t);
      }),
    );
  });
});

describe("bench median", () => {
  it("is the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("bench tally", () => {
  const still = { room: () => 0, proxy: () => 0 };

  it("counts failed calls apart and does not take them as latency samples", async () => {
    const t = new Tally();
    await t.drive(still, 2, 5, async (w, i) => {
      if (w === 1 && i % 2 === 0) throw new Error(`refused ${i}`);
    });
    const m = t.result();
    expect(m.errors).toBe(3);
    expect(t.samples).toHaveLength(7);
    expect(m.n).toBe(7);
  });
});

describe("bench rounds", () => {
  it("run the read echo, the write echo and the operation in rounds that turn around, after one unmeasured round of each", async () => {
    const still = { room: () => 0, proxy: () => 0 };
    const seen: string[] = [];
    const side = (name: string) => async (_w: number, i: number) => {
      seen.push(`${name}:${i}`);
    };
    // Two calls a side in two rounds of one; the unmeasured round takes index 2.
    const { m, echo, write } = await measureBesideBoth(still, 1, 2, side("echo"), side("write"), side("op"), 2);
    expect(seen).toEqual(["echo:2", "write:2", "op:2", "echo:0", "write:0", "op:0", "op:1", "write:1", "echo:1"]);
    expect([m.n, echo.n, write.n]).toEqual([2, 2, 2]);
  });
});

describe("bench targets", () => {
  const clean = { errors: 0, echoErrors: 0 };

  it("miss a 2026 write row at 0.5996× calls/s, naming the ratio as printed", () => {
    const v = judgeOp("masc_claim 2026 20", "masc_claim", "2026", 20, { cpu: 1.9, tput: 0.5996, writeCpu: 1.2, ...clean });
    expect(v?.misses).toEqual(["masc_claim 2026 20 calls/s 0.599×"]);
    expect(v?.cell).toBe("write echo ≤1.5 ✓ / ≥0.6 ✗ / 0 errors ✓");
  });

  it("judge a write's CPU against the write echo: 1.25× with one agent, 1.5× with 20, not against the read echo", () => {
    expect(judgeOp("masc_lock 2025 1", "masc_lock", "2025", 1, { cpu: 2, tput: 0.5, writeCpu: 1.2501, ...clean })?.misses).toEqual([
      "masc_lock 2025 1 CPU 1.251× of the write echo",
    ]);
    expect(judgeOp("masc_lock 2025 1", "masc_lock", "2025", 1, { cpu: 2, tput: 0.5, writeCpu: 1.25, ...clean })).toEqual({
      cell: "write echo ≤1.25 ✓ / 0 errors ✓",
      misses: [],
    });
    expect(judgeOp("masc_done 2026 20", "masc_done", "2026", 20, { cpu: 2, tput: 0.7, writeCpu: 1.51, ...clean })?.misses).toEqual([
      "masc_done 2026 20 CPU 1.510× of the write echo",
    ]);
  });

  it("report the 2025 era's write calls/s without judging it", () => {
    const v = judgeOp("masc_add_task 2025 20", "masc_add_task", "2025", 20, { cpu: 1.6, tput: 0.5, writeCpu: 1.4, ...clean });
    expect(v).toEqual({ cell: "write echo ≤1.5 ✓ / calls/s not judged / 0 errors ✓", misses: [] });
  });

  it("hold reads to the read echo at 20 agents and judge no read with one agent", () => {
    expect(judgeOp("masc_status 2025 20", "masc_status", "2025", 20, { cpu: 1.31, tput: 0.8, writeCpu: 0.9, ...clean })?.misses).toEqual([
      "masc_status 2025 20 CPU 1.310×",
    ]);
    expect(judgeOp("masc_status 2025 1", "masc_status", "2025", 1, { cpu: 3, tput: 0.1, ...clean })).toBeUndefined();
  });

  it("miss a row with failed calls on any side, however fast it was", () => {
    const r = { cpu: 1, tput: 1, writeCpu: 1 };
    expect(judgeOp("masc_status 2026 20", "masc_status", "2026", 20, { ...r, errors: 2, echoErrors: 0 })?.misses).toEqual([
      "masc_status 2026 20 2 failed calls (echo 0)",
    ]);
    expect(judgeOp("masc_status 2026 20", "masc_status", "2026", 20, { ...r, errors: 0, echoErrors: 1 })?.cell).toBe(
      "≤1.3 ✓ / ≥0.8 ✓ / 0 errors ✗",
    );
    expect(judgeMixed(1, 0, 4).misses).toEqual(["mixed 0 failed calls (echo 4)"]);
    expect(judgeGrown("masc_tasks", 1, 1, 1).misses).toEqual(["grown masc_tasks 1 failed calls (echo 0)"]);
  });

  it("judge no failures, nor the write echo, where a report did not count them", () => {
    const v = judgeOp("masc_lock 2026 20", "masc_lock", "2026", 20, { cpu: 1.5, tput: 0.7 });
    expect(v).toEqual({ cell: "write echo ≤1.5 ? / ≥0.6 ✓ / 0 errors ?", misses: [] });
  });
});

describe("bench process picking", () => {
  const runtime = (pid: number, ppid: number) => ({ pid, ppid, args: ["/x/workerd", "serve", "--socket-addr=user=127.0.0.1:0"] });
  const proxy = (pid: number, ppid: number, port: number) => ({
    pid,
    ppid,
    args: ["/x/workerd", "serve", `--socket-addr=entry=127.0.0.1:${port}`],
  });
  const node = (pid: number, ppid: number) => ({ pid, ppid, args: ["node", "wrangler.js", "dev"] });

  it("finds the one runtime and the one proxy under the wrangler process, at any depth", () => {
    const procs = [node(10, 1), node(11, 10), proxy(12, 11, 8800), runtime(13, 11), runtime(20, 1)];
    expect(pickWorkerd(procs, 10, 8800, false)).toBe(13);
    expect(pickWorkerd(procs, 10, 8800, true)).toBe(12);
  });

  it("fails loudly when two processes match, or none", () => {
    const two = [node(10, 1), runtime(13, 10), runtime(14, 10), proxy(12, 10, 8800)];
    expect(() => pickWorkerd(two, 10, 8800, false)).toThrow("expected exactly one runtime workerd under process 10, found 2 (13, 14)");
    expect(() => pickWorkerd(two, 10, 9900, true)).toThrow("expected exactly one entry proxy workerd under process 10, found 0");
  });
});

describe("bench headline", () => {
  const mixed = `| calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo CPU | p99 ratio | target p99 ≤ 3×, 0 errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
| 3150 | 0 | 100.00 | 300.00 | 245.0 | 2.61 | 0 | 50.00 | 100.00 | 1.63 | 3.000× | ✓ / ✓ |
`;
  const report = (tput: number, errors: number, missed: number, writeCpu: number, writeErrors = 0) => `# Benchmark results

Targets missed in this run (${missed}): whatever.

| operation | era | agents | calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo calls/s | echo CPU | write echo errors | write echo p50 | write echo calls/s | write echo CPU | CPU ratio | write CPU ratio | calls/s ratio | write calls/s ratio | p50 ratio | target CPU / calls/s / errors | client CPU ms/call (echo) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|
| masc_claim | 2026 | 20 | 2400 | ${errors} | 80.00 | 200.00 | ${tput} | 3.00 | 0 | 40.00 | 100.00 | 1000.0 | 2.00 | ${writeErrors} | 50.00 | 900.0 | ${writeCpu} | 1.500× | x | 0.600× | x | 2.000× | x | 1 (1) |
| masc_claim | 2025 | 1 | 400 | 0 | 8.00 | 20.00 | 100.0 | 3.00 | 0 | 4.00 | 10.00 | 200.0 | 2.00 | 0 | 5.00 | 150.0 | ${writeCpu} | 1.500× | x | 0.500× | x | 2.000× | x | 1 (1) |

${mixed}`;
  // A report from before the write echo (decision 0043): no write echo columns.
  const before = `# Benchmark results

Targets missed in this run (0): none.

| operation | era | agents | calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo calls/s | echo CPU | CPU ratio | calls/s ratio | p50 ratio | target CPU / calls/s / errors | client CPU ms/call (echo) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|
| masc_claim | 2025 | 20 | 2400 | 0 | 80.00 | 200.00 | 500 | 3.00 | 0 | 40.00 | 100.00 | 1000.0 | 2.00 | 1.500× | 0.500× | 2.000× | x | 1 (1) |

${mixed}`;

  it("judges the per-row median of the runs, recomputed from each row's figures, and sums their failures", () => {
    // calls/s ratios 0.5996, 0.7 and 0.59: the median 0.5996 misses, though it rounds to 0.60.
    // Write echo CPU 2.5, 2.4 and 1.9 against 3.00: 1.2×, 1.25× and 1.579×, the median 1.25×.
    const text = headline([report(599.6, 0, 1, 2.5), report(700, 0, 0, 2.4, 1), report(590, 2, 1, 1.9)].map(parseReport));
    expect(text).toContain(
      "| masc_claim | 2026 | 20 | 2 / 1 | 1.500× (1.500×–1.500×) | 1.250× (1.200×–1.579×) | 0.599× (0.590×–0.700×) | 2.000× (2.000×–2.000×) | write echo ≤1.5 ✓ / ≥0.6 ✗ / 0 errors ✗ |",
    );
    // One agent: 1.25× of the write echo meets its ceiling exactly; no calls/s target there.
    expect(text).toContain("| masc_claim | 2025 | 1 | 0 / 0 | 1.500× (1.500×–1.500×) | 1.250× (1.200×–1.579×) |");
    expect(text).toContain("write echo ≤1.25 ✓ / 0 errors ✓ |");
    expect(text).toContain("Targets the median missed (2): masc_claim 2026 20 calls/s 0.599×; masc_claim 2026 20 2 failed calls (echo 1).");
    expect(text).toContain("| 3 runs | 0 / 0 | 3.000× (3.000×–3.000×) | ✓ / ✓ |");
    expect(text).toContain("Targets missed per run, by each run's own verdict: 1, 0, 1 (1 of 3 runs met every one).");
  });

  it("headlines the startup table by the median of each measure, with the lowest and highest", () => {
    const run = (kib: number, first: number) => `# Benchmark results

| startup | value |
|---|---:|
| bundle KiB (\`wrangler deploy --dry-run\`) | ${kib} |
| first call 2026 ms (median of 7 new rooms) | ${first} |
`;
    const text = headline([run(2777.6, 40), run(2777.6, 60), run(2700, 45)].map(parseReport));
    expect(text).toContain("| bundle KiB (`wrangler deploy --dry-run`) | 2777.6 (2700.0–2777.6) |");
    expect(text).toContain("| first call 2026 ms (median of 7 new rooms) | 45.0 (40.0–60.0) |");
  });

  it("reads a report from before the write echo: no write ratio, its target neither met nor missed, calls/s not judged", () => {
    const text = headline([parseReport(before)]);
    expect(text).toContain(
      "| masc_claim | 2025 | 20 | 0 / 0 | 1.500× | - | 0.500× | 2.000× | write echo ≤1.5 ? / calls/s not judged / 0 errors ✓ |",
    );
    expect(text).toContain("Targets: every one met by the median.");
  });
});
