import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const OWNER = "owner-secret-for-e2e-0123456789";

describe("every room: directory, switcher, GraphiQL and metrics in headless Chromium", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWrangler({ vars: { MASC_ADMIN_SECRET: OWNER } });
    browser = await launchChromium();
    for (const [room, tasks] of [
      ["alpha", 2],
      ["beta", 3],
    ] as const) {
      const { client } = await mcpClient(`${server.url}/r/${room}/mcp`, room);
      await tool(client, "masc_join", { agent_name: `${room}-bot` });
      for (let i = 0; i < tasks; i++) await tool(client, "masc_add_task", { title: `${room} task ${i}` });
      await client.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lists both rooms on / with their counts, and the switcher moves between them", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${server.url}/`);
      // Counts reach the directory within its report interval (5 s); the page polls.
      await page.locator('[data-room="beta"] [data-count="tasks"]', { hasText: "3 open / 3 tasks" }).waitFor({ timeout: 20_000 });
      await page.locator('[data-room="alpha"] [data-count="tasks"]', { hasText: "2 open / 2 tasks" }).waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-room="alpha"] [data-count="agents"]').textContent()).toBe("1 agents");
      await page.click('[data-room="alpha"] a');
      await page.waitForURL(`${server.url}/r/alpha/`);
      await page.locator('[data-task="task-002"]').waitFor();
      await page.locator('#switcher option[value="beta"]').waitFor({ state: "attached" });
      await page.selectOption("#switcher", "beta");
      await page.waitForURL(`${server.url}/r/beta/`);
      await page.locator('[data-task="task-003"]').waitFor();
      expect(await page.locator("#room").textContent()).toBe("beta");
      expect(await page.locator('[data-task="task-001"]').textContent()).toContain("beta task 0");
      const icon = await page.evaluate(async () => (await fetch("/favicon.ico")).headers.get("content-type"));
      expect(icon).toContain("image/svg+xml");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}/`);
      await page.locator('[data-room="alpha"]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    } finally {
      await page.close();
    }
  });

  it("keeps a room with auth out of the open listing; the owner secret sees it and every room's metrics", async () => {
    const { client } = await mcpClient(`${server.url}/r/gamma/mcp`, "gamma");
    await tool(client, "masc_switch_mode", { mode: "full" });
    await tool(client, "masc_auth_enable");
    await client.close();
    const list = async (auth?: string) =>
      (await (await fetch(`${server.url}/api/rooms`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} })).json()) as {
        rooms: Array<{ name: string }>;
        scope: string;
      };
    let owner = await list(OWNER);
    for (let i = 0; i < 40 && !owner.rooms.some((r) => r.name === "gamma"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      owner = await list(OWNER);
    }
    expect(owner.scope).toBe("all");
    expect(owner.rooms.map((r) => r.name).sort()).toEqual(["alpha", "beta", "gamma"]);
    // gamma reports auth on with its next report (at most 5 s later).
    let open = await list();
    for (let i = 0; i < 40 && open.rooms.some((r) => r.name === "gamma"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      open = await list();
    }
    expect(open.scope).toBe("open_rooms");
    expect(open.rooms.map((r) => r.name).sort()).toEqual(["alpha", "beta"]);
    expect((await list("not-the-secret")).scope).toBe("open_rooms");

    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${OWNER}` } })).text();
    expect(metrics).toMatch(/^masc_tool_calls_total\{room="alpha",tool="masc_add_task",outcome="ok"\} 2$/m);
    expect(metrics).toMatch(/^masc_tool_calls_total\{room="beta",tool="masc_add_task",outcome="ok"\} 3$/m);
    expect(metrics).toMatch(/^masc_sessions_open\{room="gamma"\} \d+$/m);
    expect(metrics.match(/^# HELP masc_tool_calls_total /gm)).toHaveLength(1);
    const anonymous = await (await fetch(`${server.url}/metrics`)).text();
    expect(anonymous).not.toContain('room="gamma"');
  });

  it("serves GraphiQL from the Worker (no CDN) and runs the original's sample query", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) external.push(r.url());
    });
    try {
      await page.goto(`${server.url}/r/beta/graphql`);
      await page.locator(".graphiql-execute-button").click();
      await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes('"project"'));
      const result = await page.locator(".result-window").textContent();
      expect(result).toContain('"project": "beta"');
      expect(result).toContain('"paused": false');
      expect(external).toEqual([]);

      // A room with auth: GraphiQL sends the token the page holds (here the owner secret).
      await page.evaluate((t) => localStorage.setItem("masc-token", t), OWNER);
      await page.goto(`${server.url}/r/gamma/graphql`);
      await page.locator(".graphiql-execute-button").click();
      await page.waitForFunction(() => document.querySelector(".result-window")?.textContent?.includes('"project"'));
      expect(await page.locator(".result-window").textContent()).toContain('"project": "gamma"');
    } finally {
      await page.close();
    }
  });
});
