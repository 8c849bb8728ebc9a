import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from "vitest/node";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** True when the suite itself failed: a hook threw (`beforeAll`, `afterAll`) or its file did not load. */
const broken = (suite: TestSuite | TestModule) => suite.state() === "failed" && suite.errors().length > 0;

function ancestorBroken(test: TestCase): boolean {
  for (let s: TestSuite | TestModule = test.parent; ; s = s.parent) {
    if (broken(s)) return true;
    if (s.type === "module") return false;
  }
}

/**
 * Every failure counts as one: a failed test, a test that never ran because its suite failed
 * (a `beforeAll` that threw leaves its tests "skipped"), a failed suite or file none of whose tests
 * carries the failure (a collection error, an `afterAll` that threw), and an error outside any test.
 * Only a test skipped on purpose (`.skip`, `.todo`, a filter) counts as skipped.
 */
export function count(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError> = []): Counts {
  const c: Counts = { passed: 0, failed: unhandled.length, skipped: 0 };
  for (const mod of modules) {
    const suites: Array<TestSuite | TestModule> = [mod, ...mod.children.allSuites()];
    const carried = new Set<TestSuite | TestModule>();
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === "passed") c.passed++;
      else if (state === "failed") c.failed++;
      else if (test.options.mode === "run" || test.options.mode === "only") {
        if (!ancestorBroken(test)) c.skipped++;
        else {
          c.failed++;
          for (let s: TestSuite | TestModule = test.parent; ; s = s.parent) {
            carried.add(s);
            if (s.type === "module") break;
          }
        }
      } else c.skipped++;
    }
    for (const s of suites) if (broken(s) && !carried.has(s)) c.failed++;
  }
  return c;
}

export const line = (c: Counts) => `tests: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

/** Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can read. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    process.stdout.write(`\n${line(count(modules, unhandled))}\n`);
  }
}
