import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pickWorkerd } from "../../bench/cpu";
import { headline, parseReport } from "../../bench/headline";
import { median, Tally } from "../../bench/stats";
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
    const ceilings = [1.2, 1.3, 1.8, 3];
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

describe("bench targets", () => {
  it("miss a write row at 0.5996× calls/s, naming the ratio as printed", () => {
    const v = judgeOp("masc_claim 2025", "masc_claim", 1.5, 0.5996, 0, 0);
    expect(v.misses).toEqual(["masc_claim 2025 calls/s 0.599×"]);
    expect(v.cell).toBe("≤1.8 ✓ / ≥0.6 ✗ / 0 errors ✓");
  });

  it("miss a row with failed calls on either side, however fast it was", () => {
    expect(judgeOp("masc_status 2026", "masc_status", 1, 1, 2, 0).misses).toEqual(["masc_status 2026 2 failed calls (echo 0)"]);
    expect(judgeOp("masc_status 2026", "masc_status", 1, 1, 0, 1).cell).toBe("≤1.3 ✓ / ≥0.8 ✓ / 0 errors ✗");
    expect(judgeMixed(1, 0, 4).misses).toEqual(["mixed 0 failed calls (echo 4)"]);
    expect(judgeGrown("masc_tasks", 1, 1, 1).misses).toEqual(["grown masc_tasks 1 failed calls (echo 0)"]);
  });

  it("judge no failures where a report did not count them", () => {
    const v = judgeOp("masc_lock 2025", "masc_lock", 1.5, 0.7, undefined, undefined);
    expect(v).toEqual({ cell: "≤1.8 ✓ / ≥0.6 ✓ / 0 errors ?", misses: [] });
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
  const report = (tput: number, errors: number, missed: number) => `# Benchmark results

Targets missed in this run (${missed}): whatever.

| operation | era | agents | calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo calls/s | echo CPU | CPU ratio | calls/s ratio | p50 ratio | target CPU / calls/s / errors | client CPU ms/call (echo) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|
| masc_claim | 2025 | 20 | 2400 | ${errors} | 80.00 | 200.00 | ${tput} | 3.00 | 0 | 40.00 | 100.00 | 1000.0 | 2.00 | 1.500× | 0.600× | 2.000× | x | 1 (1) |

| calls | errors | p50 ms | p99 ms | calls/s | CPU ms/call | echo errors | echo p50 | echo p99 | echo CPU | p99 ratio | target p99 ≤ 3×, 0 errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
| 3150 | 0 | 100.00 | 300.00 | 245.0 | 2.61 | 0 | 50.00 | 100.00 | 1.63 | 3.000× | ✓ / ✓ |
`;

  it("judges the per-row median of the runs, recomputed from each row's figures, and sums their failures", () => {
    // calls/s ratios 0.5996, 0.7 and 0.59: the median 0.5996 misses, though it rounds to 0.60.
    const text = headline([report(599.6, 0, 1), report(700, 0, 0), report(590, 2, 1)].map(parseReport));
    expect(text).toContain(
      "| masc_claim | 2025 | 20 | 2 / 0 | 1.500× (1.500×–1.500×) | 0.599× (0.590×–0.700×) | 2.000× (2.000×–2.000×) | ≤1.8 ✓ / ≥0.6 ✗ / 0 errors ✗ |",
    );
    expect(text).toContain("Targets the median missed (2): masc_claim 2025 calls/s 0.599×; masc_claim 2025 2 failed calls (echo 0).");
    expect(text).toContain("| 3 runs | 0 / 0 | 3.000× (3.000×–3.000×) | ✓ / ✓ |");
    expect(text).toContain("Targets missed per run, by each run's own verdict: 1, 0, 1 (1 of 3 runs met every one).");
  });
});
