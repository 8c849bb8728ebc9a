import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startVitest } from "vitest/node";
import { type Counts, count, line } from "../helpers/summary-reporter";

const root = fileURLToPath(new URL("./fixtures/summary/", import.meta.url));
const discard = () => new Writable({ write: (_chunk, _enc, done) => done() });

/** Runs fixture files through a real vitest and returns what the summary reporter counts of it. */
async function summarize(...files: string[]): Promise<Counts> {
  let counts: Counts | undefined;
  const exitCode = process.exitCode;
  const vitest = await startVitest(
    "test",
    files,
    { root, config: false, include: ["*.fixture.ts"], watch: false },
    {
      test: {
        reporters: [
          {
            onTestRunEnd: (modules, unhandled) => {
              counts = count(modules, unhandled);
            },
          },
        ],
      },
    },
    { stdout: discard(), stderr: discard() },
  );
  await vitest.close();
  // A failing fixture is the point here, not a failure of this run.
  process.exitCode = exitCode;
  if (!counts) throw new Error("the run ended without a summary");
  return counts;
}

describe("summary reporter", () => {
  it("counts the tests of a suite whose beforeAll threw as failed, not skipped", async () => {
    expect(await summarize("hook-throws.fixture.ts")).toEqual({ passed: 0, failed: 2, skipped: 0 });
  });

  it("counts a file that does not load as a failure", async () => {
    expect(await summarize("collection-error.fixture.ts")).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  it("counts an afterAll that threw as a failure beside the test that passed", async () => {
    expect(await summarize("after-all-throws.fixture.ts")).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it("counts an error outside any test as a failure", async () => {
    expect(await summarize("unhandled.fixture.ts")).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  it("counts only tests skipped on purpose as skipped", async () => {
    expect(await summarize("mixed.fixture.ts")).toEqual({ passed: 1, failed: 1, skipped: 2 });
  });

  it("adds every file's failures up, in the one line CI reads", async () => {
    const all = await summarize("hook-throws.fixture.ts", "collection-error.fixture.ts", "after-all-throws.fixture.ts", "mixed.fixture.ts");
    expect(line(all)).toBe("tests: 2 passed, 5 failed, 2 skipped");
  });
});
