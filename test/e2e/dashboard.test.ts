import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { launchChromium } from "../helpers/browser";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const ARTIFACTS = resolve(import.meta.dirname, "../../test-artifacts");

describe("dashboard in headless Chromium", () => {
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

  it("shows the board, agents, messages and interrupts live, and an approval reaches the waiting agent", async () => {
    const room = "dash";
    await page.goto(`${server.url}/r/${room}/`);
    await page.waitForSelector("#conn.live");
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });

    const { client } = await mcpClient(`${server.url}/r/${room}/mcp`, "claude");
    const inbox = collect(client);
    await tool(client, "masc_switch_mode", { mode: "full" });
    await tool(client, "masc_join", { agent_name: "claude" });
    await untilStreaming(client, "claude");

    await tool(client, "masc_add_task", { title: "Review <b>PR</b> #1234", priority: 1 });
    const card = page.locator('[data-state="todo"] [data-task="task-001"]');
    await card.waitFor();
    expect(await card.textContent()).toContain("Review <b>PR</b> #1234");

    await tool(client, "masc_claim", { agent_name: "claude", task_id: "task-001" });
    await page.locator('[data-state="claimed"] [data-task="task-001"]').waitFor();
    await page.locator('[data-agent="claude"] .status.busy').waitFor();

    await tool(client, "masc_broadcast", { agent_name: "claude", message: "@gemini check for <script>alert(1)</script> issues" });
    const mention = page.locator("#messages .mention", { hasText: "@gemini" });
    await mention.waitFor();
    expect(await page.locator("#messages .msg").last().textContent()).toContain("<script>alert(1)</script>");

    await tool(client, "masc_interrupt", {
      agent_name: "claude",
      task_id: "cleanup-job",
      step: 3,
      action: "DELETE FROM users WHERE inactive=true",
      message: "Delete 1,247 records from production?",
    });
    const pending = page.locator('[data-interrupt="cleanup-job"]');
    await pending.waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: resolve(ARTIFACTS, "dashboard.png"), fullPage: true });
    // DELETE FROM cannot be undone: the page asks for the task id first.
    await pending.locator("button.approve").click();
    await page.fill("#confirm-input", "cleanup-job");
    await page.click("#confirm-go");

    const decision = await inbox.next((e) => e.kind === "interrupt_approved");
    expect(decision).toMatchObject({ actor: "human", target: "claude", data: { task_id: "cleanup-job", step: 3 } });
    const polled = await tool(client, "masc_pending_interrupts", { task_id: "cleanup-job" });
    expect(polled.json.recent_decisions[0]).toMatchObject({ state: "approved", decided_by: "human" });
    await pending.waitFor({ state: "detached" });
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    await client.close();
  });
  it("asks for a token once when the room has auth, then stays live with it across a reload", async () => {
    const room = "dash-auth";
    const { client } = await mcpClient(`${server.url}/r/${room}/mcp`, "setup");
    await tool(client, "masc_switch_mode", { mode: "full" });
    const secret = (await tool(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    const { client: admin } = await mcpClient(`${server.url}/r/${room}/mcp`, "admin", { authorization: `Bearer ${secret}` });
    await tool(admin, "masc_switch_mode", { mode: "full" });
    const reader = (await tool(admin, "masc_auth_create_token", { agent_name: "human", role: "reader" })).json.token as string;
    await tool(admin, "masc_add_task", { title: "before the token" });

    const viewer = await browser.newPage();
    try {
      await viewer.goto(`${server.url}/r/${room}/`);
      await viewer.locator("#error", { hasText: "unauthorized" }).waitFor();
      expect(await viewer.locator('[data-task="task-001"]').count()).toBe(0);
      await viewer.fill("#token", reader);
      await viewer.click("#auth button");
      await viewer.locator('[data-state="todo"] [data-task="task-001"]').waitFor();
      await viewer.waitForSelector("#conn.live");
      // A reader is offered no action: the forms stay hidden.
      expect(await viewer.locator("#whoami").textContent()).toBe("acting as human (reader)");
      expect(await viewer.locator("#as").isVisible()).toBe(false);
      expect(await viewer.locator("#add-task").isVisible()).toBe(false);
      expect(await viewer.locator("#send").isVisible()).toBe(false);
      expect(await viewer.locator("#replying").isVisible()).toBe(false);
      await tool(admin, "masc_add_task", { title: "after the token" });
      await viewer.locator('[data-state="todo"] [data-task="task-002"]').waitFor();

      await viewer.reload();
      await viewer.locator('[data-state="todo"] [data-task="task-002"]').waitFor();
      await viewer.waitForSelector("#conn.live");
      expect(await viewer.locator("#error").textContent()).toBe("");
    } finally {
      await viewer.close();
      await admin.close();
    }
  });
});
