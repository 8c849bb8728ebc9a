import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser";
import { tool } from "../helpers/client";
import { populateRoom } from "../helpers/populate";
import { type DevServer, startWrangler } from "../helpers/wrangler";

// The README's screenshots in docs/ are copies of these.
const SHOTS = resolve(import.meta.dirname, "../../test-artifacts");
const ROOM = "release";

/** Every integer from `a` to `b`, either way round. */
const between = (a: number, b: number) => Array.from({ length: Math.abs(b - a) + 1 }, (_, i) => Math.min(a, b) + i);

/**
 * The texts the page may show for a relative time it drew, or whose figure the server computed,
 * at some moment of the window [from, to] (ms): each text is a monotonic function of that moment,
 * so the texts at its two ends and every one between are the right ones, and no other.
 */
const window = {
  ago: (iso: string, from: number, to: number) =>
    between(Math.round((from - Date.parse(iso)) / 1000), Math.round((to - Date.parse(iso)) / 1000)).map((s) =>
      s < 60 ? `${s}s ago` : `${Math.round(s / 60)}m ago`,
    ),
  expiresIn: (iso: string, from: number, to: number) =>
    between(Math.ceil(Math.ceil((Date.parse(iso) - from) / 1000) / 60), Math.ceil(Math.ceil((Date.parse(iso) - to) / 1000) / 60)).map(
      (m) => `expires in ${m} min`,
    ),
  inMin: (iso: string, from: number, to: number) =>
    between(Math.round((Date.parse(iso) - from) / 60000), Math.round((Date.parse(iso) - to) / 60000)).map((m) => `(in ${m} min)`),
};

/** Reads a tool's JSON reply through MCP, the way an agent would see the room. */
async function read(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await tool(client, name, args);
  expect(r.isError, r.text).toBe(false);
  return r.json;
}

describe("the lead's dashboard on a populated room, in headless Chromium", () => {
  let server: DevServer;
  let browser: Browser;
  let mcp: Client;

  beforeAll(async () => {
    server = await startWrangler();
    mcp = await populateRoom(`${server.url}/r/${ROOM}/mcp`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await mcp?.close();
    await browser?.close();
    await server?.stop();
  });

  async function open(width: number, height: number, colorScheme: "dark" | "light" = "dark"): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    await page.goto(`${server.url}/r/${ROOM}/`);
    await page.waitForSelector("#conn.live");
    await page.locator('#board [data-task="task-001"]').waitFor();
    await page.locator("#interrupts li").first().waitFor();
    return page;
  }

  it("shows locks, votes, progress, task detail, cost per agent and task, the timeline and the charts (1400×900)", async () => {
    const from = Date.now();
    const page = await open(1400, 900);
    try {
      const lock = page.locator('[data-lock="src/auth/oauth.ts"]');
      const lockText = (await lock.textContent()) ?? "";
      const vote = page.locator('[data-vote="vote-001"]');
      const voteText = (await vote.textContent()) ?? "";
      const to = Date.now();
      // Relative times, checked against the room's own timestamps over the window the page drew in.
      const held = ((await read(mcp, "masc_locks")).locks as Array<{ file: string; acquired_at: string; expires_at: string }>).find(
        (l) => l.file === "src/auth/oauth.ts",
      );
      if (!held) throw new Error("the lock on src/auth/oauth.ts is gone");
      const [, since, expires] = /codex since (\d+[sm] ago) · token 1 · (expires in \d+ min)/.exec(lockText) ?? [];
      expect(window.ago(held.acquired_at, from, to), lockText).toContain(since);
      expect(window.expiresIn(held.expires_at, from, to), lockText).toContain(expires);
      expect(await page.locator('[data-lock="docs/"] .mono').textContent()).toBe("docs/ (dir lease)");
      const open1 = ((await read(mcp, "masc_votes")).votes as Array<{ vote_id: string; deadline: string }>).find(
        (v) => v.vote_id === "vote-001",
      );
      if (!open1) throw new Error("vote-001 is gone");
      expect(voteText).toContain("Switch the package manager to pnpm?");
      const [, inMin] = /open · 2\/4 votes · deadline .* (\(in \d+ min\))/.exec(voteText) ?? [];
      expect(window.inMin(open1.deadline, from, to), voteText).toContain(inMin);
      expect(await vote.locator('[data-option="yes"] .n').textContent()).toBe("1");
      expect(await vote.locator('[data-option="later"] .n').textContent()).toBe("1");
      expect(await page.locator('[data-task="task-007"] [data-progress]').textContent()).toBe("60% · columns done");
      expect(await page.locator('[data-task="task-002"] [data-progress]').textContent()).toBe("40% · token exchange");
      const question = page.locator("#messages > .msg", { hasText: "Who reviews the lock leases PR?" });
      expect(await question.locator(".replies .msg").textContent()).toContain("I will, after the ws fix.");
      expect(await page.locator("#cost").textContent()).toBe("$3.4300 over 5 entries");
      expect(await page.locator('#cost-agents [data-cost="codex"]').textContent()).toContain("$1.9200");
      expect(await page.locator('#cost-tasks [data-cost="task-007"]').textContent()).toContain("$0.8800");

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: resolve(SHOTS, "dashboard-desktop.png"), fullPage: true });

      // Task detail: cancel reason, notes, description, age and history as masc_task_history has it.
      await page.click('[data-task="task-005"]');
      const detail = page.locator("#task-detail");
      await detail.locator('[data-field="reason"]').waitFor();
      expect(await detail.locator('[data-field="reason"]').textContent()).toBe("superseded by the retention job");
      expect(await detail.locator('[data-field="description"]').textContent()).toContain("sessions_v1");
      expect(await detail.locator('[data-field="age"]').textContent()).toMatch(/^\d+ (s|min)/);
      const history = (await read(mcp, "masc_task_history", { task_id: "task-005" })).history as Array<{ action: string }>;
      expect(await detail.locator("#task-history li").count()).toBe(history.length);
      expect(await detail.locator("#task-history li").first().textContent()).toContain("claude cancelled claimed → cancelled");
      await page.click("#task-dialog form button");
      await page.click('[data-task="task-001"]');
      await detail.locator('[data-field="notes"]').waitFor();
      expect(await detail.locator('[data-field="notes"]').textContent()).toContain("CI runs in 4 min");
      await page.click("#task-dialog form button");

      // Timeline: newest first, filtered by agent and by kind, paged back by seq.
      const first = await page.locator("#timeline li").first().getAttribute("data-event");
      expect(await page.locator("#timeline li").count()).toBe(30);
      await page.click("#tl-older");
      await page.waitForFunction(() => document.querySelectorAll("#timeline li").length > 30);
      const seqs = await page.locator("#timeline li").evaluateAll((li) => li.map((e) => Number(e.getAttribute("data-event"))));
      expect(seqs[0]).toBe(Number(first));
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      await page.selectOption("#tl-agent", "codex");
      await page.waitForFunction(() => [...document.querySelectorAll("#timeline li")].every((li) => li.textContent?.includes("codex")));
      await page.selectOption("#tl-kind", "lock_acquired");
      await page.waitForFunction(() => document.querySelectorAll("#timeline li").length === 1);
      expect(await page.locator("#timeline li").textContent()).toContain("file=src/auth/oauth.ts");
      await page.selectOption("#tl-agent", "");
      await page.selectOption("#tl-kind", "");

      // Charts are SVG drawn from the room's series: the populate burst is in the last minutes.
      const eventsChart = page.locator("#chart-events svg");
      expect(Number(await eventsChart.getAttribute("data-max"))).toBeGreaterThanOrEqual(10);
      expect(Number(await eventsChart.getAttribute("data-points"))).toBeGreaterThanOrEqual(60);
      expect(Number(await page.locator("#chart-cost svg").getAttribute("data-max"))).toBeCloseTo(3.43, 2);
    } finally {
      await page.close();
    }
  });

  it("fits a phone (390×844): no horizontal overflow, approvals first, the task dialog inside the screen", async () => {
    const page = await open(390, 844, "light");
    try {
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBe(0);
      const approvals = await page.locator("#p-approvals").boundingBox();
      const board = await page.locator("#p-board").boundingBox();
      expect(approvals && board && approvals.y < board.y).toBe(true);
      for (const id of ["#p-board", "#p-timeline", "#p-cost", "#p-locks", "#p-votes"]) {
        const box = await page.locator(id).boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 390, id).toBe(true);
      }
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(246, 248, 250)");
      await page.screenshot({ path: resolve(SHOTS, "dashboard-phone.png"), fullPage: true });
      await page.click('[data-task="task-002"]');
      await page.locator("#task-dialog[open]").waitFor();
      const dialog = await page.locator("#task-dialog").boundingBox();
      expect(dialog && dialog.x >= 0 && dialog.x + dialog.width <= 390).toBe(true);
      expect(await overflow()).toBe(0);
    } finally {
      await page.close();
    }
  });
  it("acts through the tools: message, add task, priority, cancel, release a lock, vote, approve, reject", async () => {
    const page = await open(1400, 900);
    try {
      await page.fill("#message", "@codex please rebase before <b>noon</b>");
      await page.click("#send button");
      await page.locator("#messages .msg", { hasText: "please rebase" }).waitFor();
      const msgs = (await read(mcp, "masc_messages", { since_seq: 0, limit: 100 })).messages as Array<Record<string, unknown>>;
      expect(msgs.at(-1)).toMatchObject({ from: "human", content: "@codex please rebase before <b>noon</b>" });
      expect(await page.locator("#messages .msg").last().locator(".mention").textContent()).toBe("@codex");

      await page.locator("#messages > .msg", { hasText: "Who reviews" }).locator("button.reply").first().click();
      await page.fill("#message", "thanks, gemini");
      await page.click("#send button");
      const reply = page.locator("#messages > .msg", { hasText: "Who reviews" }).locator(".replies .msg", { hasText: "thanks, gemini" });
      await reply.waitFor();
      const sent = (await read(mcp, "masc_messages", { since_seq: 0, limit: 100 })).messages as Array<Record<string, unknown>>;
      const question = sent.find((m) => m.content === "Who reviews the lock leases PR?");
      expect(sent.at(-1)).toMatchObject({ from: "human", content: "thanks, gemini", reply_to: question?.seq });

      // In a room without auth the person picks the name they act under.
      await page.fill("#as", "lead");
      await page.press("#as", "Enter");
      await page.locator("#whoami", { hasText: "acting as lead (admin)" }).waitFor();
      await page.waitForFunction(() => localStorage.getItem("masc-as") === "lead");
      await page.fill("#message", "lead here");
      await page.click("#send button");
      await page.locator("#messages .msg", { hasText: "lead here" }).waitFor();
      const byLead = (await read(mcp, "masc_messages", { since_seq: 0, limit: 100 })).messages as Array<Record<string, unknown>>;
      expect(byLead.at(-1)).toMatchObject({ from: "lead", content: "lead here" });
      await page.fill("#as", "");
      await page.press("#as", "Enter");
      await page.waitForFunction(() => localStorage.getItem("masc-as") === null);
      await page.locator("#whoami", { hasText: "acting as human (admin)" }).waitFor();

      await page.fill("#new-title", "Ship the dashboard");
      await page.selectOption("#new-priority", "2");
      await page.click("#add-task button");
      await page.locator('[data-state="todo"] [data-task="task-009"]').waitFor();
      const added = (await read(mcp, "masc_tasks", { state: "todo" })).tasks.find((t: { id: string }) => t.id === "task-009");
      expect(added).toMatchObject({ title: "Ship the dashboard", priority: 2 });

      await page.click('[data-task="task-008"]');
      await page.selectOption("#task-priority", "1");
      await page.click("#task-priority-go");
      await page.locator('[data-task="task-008"] .id', { hasText: "P1" }).waitFor();
      await page.click("#task-dialog form button");
      const reprio = (await read(mcp, "masc_tasks", { state: "todo" })).tasks.find((t: { id: string }) => t.id === "task-008");
      expect(reprio.priority).toBe(1);

      // A lead cancels a task another agent holds (admin force), with a reason.
      await page.click('[data-task="task-003"]');
      await page.fill("#task-cancel-reason", "duplicate of task-002");
      await page.click("#task-cancel-go");
      await page.locator('[data-state="cancelled"] [data-task="task-003"]').waitFor();
      await page.click("#task-dialog form button");
      const cancelled = (await read(mcp, "masc_tasks", { state: "cancelled" })).tasks.find((t: { id: string }) => t.id === "task-003");
      expect(cancelled).toMatchObject({ cancelled_by: "human", reason: "duplicate of task-002" });

      await page.locator('[data-lock="src/dashboard/page.ts"] button').click();
      await page.locator('[data-lock="src/dashboard/page.ts"]').waitFor({ state: "detached" });
      const locks = (await read(mcp, "masc_locks")).locks as Array<{ file: string }>;
      expect(locks.map((l) => l.file)).not.toContain("src/dashboard/page.ts");

      await page.locator('[data-vote="vote-001"] button[data-choice="no"]').click();
      await page.locator('[data-vote="vote-001"] [data-option="no"] .n', { hasText: "1" }).waitFor();
      expect((await read(mcp, "masc_vote_status", { vote_id: "vote-001" })).tally).toEqual({ yes: 1, no: 1, later: 1 });

      await page.locator('[data-interrupt="task-003"] button.reject').click();
      await page.fill("#reject-reason", "the task was cancelled");
      await page.click("#reject-form button.reject");
      await page.locator('[data-interrupt="task-003"]').waitFor({ state: "detached" });
      const rejected = await read(mcp, "masc_pending_interrupts", { task_id: "task-003" });
      expect(rejected.recent_decisions[0]).toMatchObject({ state: "rejected", decided_by: "human", reason: "the task was cancelled" });
    } finally {
      await page.close();
    }
  });

  it("asks for the task id before approving a destructive action, and approves only with it", async () => {
    const page = await open(1400, 900);
    try {
      const card = page.locator('[data-interrupt="task-002"]');
      expect(await card.getAttribute("class")).toContain("destructive");
      await card.locator("button.approve").click();
      await page.locator("#confirm-dialog[open]").waitFor();
      expect(await page.locator("#confirm-action").textContent()).toBe("git push --force origin main");
      expect(await page.locator("#confirm-go").isDisabled()).toBe(true);
      await page.fill("#confirm-input", "task-003");
      expect(await page.locator("#confirm-go").isDisabled()).toBe(true);
      // Cancelling leaves the checkpoint pending.
      await page.click("#confirm-cancel");
      expect((await read(mcp, "masc_pending_interrupts", { task_id: "task-002" })).pending).toHaveLength(1);
      // The room refuses a page (or script) that skips the dialog.
      const skipped = await page.evaluate(async () => {
        const res = await fetch("api/act", {
          method: "POST",
          body: JSON.stringify({ tool: "masc_approve", args: { task_id: "task-002" } }),
        });
        return { status: res.status, body: await res.json() };
      });
      expect(skipped).toMatchObject({ status: 428, body: { error: "confirmation_required" } });
      expect((await read(mcp, "masc_pending_interrupts", { task_id: "task-002" })).pending).toHaveLength(1);

      await card.locator("button.approve").click();
      await page.fill("#confirm-input", "task-002");
      await page.click("#confirm-go");
      await card.waitFor({ state: "detached" });
      const decided = await read(mcp, "masc_pending_interrupts", { task_id: "task-002" });
      expect(decided.recent_decisions[0]).toMatchObject({ state: "approved", decided_by: "human" });
    } finally {
      await page.close();
    }
  });
});
