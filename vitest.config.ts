import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { cimdHost } from "./test/helpers/cimd-host";

/** Three tiers: pure domain functions, workerd integration, end to end against real wrangler dev. */
export default defineConfig({
  test: {
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // Two at a time even on two cores (vitest's default is one fewer than the cores): the end-to-end
    // files mostly wait on wrangler and the clock, so a workerd file runs beside them.
    maxWorkers: 2,
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "local-agent/test/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // A fixed test key, so encryption can be switched on in workerd tests.
            // A fixed owner secret, so the OAuth consent page's owner path can be tested.
            miniflare: {
              // The only outbound fetch is an OAuth client's metadata document (CIMD): this stands in
              // for the client's own https host, which is not reachable here.
              outboundService: cimdHost,
              bindings: {
                MASC_ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                MASC_ADMIN_SECRET: "test-owner-secret-0123456789",
              },
            },
          }),
        ],
        // A seeding beforeAll can outlast the 10 s default while an end-to-end file loads both cores.
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
