import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

describe("dashboard: dependencies and budgets in headless Chromium", () => {
  let server: DevServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startWrangler();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("marks blocked cards, draws a task's dependency chain, and shows spend against caps", async () => {
    const room = "dash-deps";
    const { client } = await mcpClient(`${server.url}/r/${room}/mcp`, "lead");
    await tool(client, "masc_join", { agent_name: "claude" });
    const added = await tool(client, "masc_batch_add_tasks", {
      tasks: [
        { title: "API schema" },
        { title: "API server", blocked_by: ["#0"] },
        { title: "Auth", priority: 2 },
        { title: "UI on the new API", blocked_by: ["#1", "#2"] },
        { title: "Docs", blocked_by: ["#3"] },
        { title: "Unrelated" },
      ],
    });
    expect(added.isError, added.text).toBe(false);
    await tool(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await tool(client, "masc_done", { agent_name: "claude", task_id: "task-001" });
    await tool(client, "masc_budget_set", { limit_usd: 5, agent_name: "claude" });
    await tool(client, "masc_budget_set", { limit_usd: 20, period: "day" });
    await tool(client, "masc_cost_log", { agent_name: "claude", cost_usd: 6 });

    await page.goto(`${server.url}/r/${room}/`);
    const waits = page.locator('[data-waits="task-004"]');
    await waits.waitFor();
    expect(await waits.textContent()).toBe("blocked: waits for task-002, task-003");
    expect(await page.locator('[data-waits="task-002"]').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator("#p-board").screenshot({ path: resolve(ARTIFACTS, "dashboard-blocked-board.png") });

    const over = page.locator('[data-budget="claude:total"]');
    await over.waitFor();
    expect(await over.getAttribute("class")).toBe("exceeded");
    expect(await over.textContent()).toContain("$6.0000 / $5.0000");
    expect(await page.locator('[data-budget="room:day"]').textContent()).toContain("$6.0000 / $20.0000");
    await page.locator("#p-cost").screenshot({ path: resolve(ARTIFACTS, "dashboard-budgets.png") });

    await page.locator('[data-task="task-004"]').click();
    const chain = page.locator("#task-chain");
    await chain.waitFor();
    const nodes = await chain.locator("[data-chain]").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-chain")));
    expect(nodes.sort()).toEqual(["task-001", "task-002", "task-003", "task-004", "task-005"]);
    const links = await chain.locator("[data-link]").evaluateAll((ps) => ps.map((p) => p.getAttribute("data-link")));
    expect(links.sort()).toEqual(["task-002<task-001", "task-004<task-002", "task-004<task-003", "task-005<task-004"]);
    // Each arrow runs left to right: a blocker stands in a column before the task waiting for it.
    const x = async (id: string) => Number(await chain.locator(`[data-chain="${id}"] rect`).getAttribute("x"));
    expect(await x("task-001")).toBeLessThan(await x("task-002"));
    expect(await x("task-002")).toBeLessThan(await x("task-004"));
    expect(await x("task-004")).toBeLessThan(await x("task-005"));
    expect(await chain.locator('[data-chain="task-004"]').getAttribute("class")).toBe("me waiting");
    expect(await chain.locator('[data-chain="task-001"]').getAttribute("class")).toBe("finished");
    expect(await page.locator('#task-detail [data-field="waits for"]').textContent()).toBe("task-002, task-003");
    expect(await page.locator('#task-detail [data-field="blocking"]').textContent()).toBe("task-005");
    await page.locator("#task-dialog").screenshot({ path: resolve(ARTIFACTS, "dashboard-task-chain.png") });

    // A node opens its own task.
    await chain.locator('[data-chain="task-002"]').click();
    await page.locator("#task-detail h3", { hasText: "task-002 · API server" }).waitFor();
    await client.close();
  });
});
