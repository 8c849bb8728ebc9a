import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser";
import { mcpClient, tool } from "../helpers/client";
import { installPackedAgent } from "../helpers/packed-agent";
import { until } from "../helpers/until";
import { type DevServer, startWrangler } from "../helpers/wrangler";

interface Note {
  method: string;
  params: { content?: string; meta?: Record<string, string>; request_id?: string; behavior?: string };
}

/**
 * The packed `masc-agent channel` spawned over stdio by the official SDK client, standing in for
 * Claude Code as the channels contract describes it: it declares nothing special and listens for
 * `notifications/claude/channel` (and the permission verdicts) with a fallback handler.
 */
async function channel(env: Record<string, string>, args: string[]) {
  const transport = new StdioClientTransport({ command: "masc-agent", args: ["channel", ...args], env, cwd: tmpdir(), stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (d) => (stderr += d));
  const client = new Client({ name: "claude-code", version: "2.1.337" });
  const notes: Note[] = [];
  client.fallbackNotificationHandler = async (n) => void notes.push(n as Note);
  await client.connect(transport);
  const events = () => notes.filter((n) => n.method === "notifications/claude/channel");
  const verdicts = () => notes.filter((n) => n.method === "notifications/claude/channel/permission").map((n) => n.params);
  const contents = () => events().map((n) => n.params.content ?? "");
  /** Claude Code's side of a permission prompt. */
  const ask = (request_id: string, input_preview = '{"command":"ls"}') =>
    client.notification({
      method: "notifications/claude/channel/permission_request",
      params: { request_id, tool_name: "Bash", description: "Run a shell command", input_preview },
    });
  return { client, notes, events, verdicts, contents, ask, stderr: () => stderr };
}

type Channel = Awaited<ReturnType<typeof channel>>;

describe("masc-agent channel, packed, as Claude Code's channel", () => {
  let server: DevServer;
  let work: string;
  let env: Record<string, string>;
  const open: Channel[] = [];

  beforeAll(async () => {
    server = await startWrangler();
    work = mkdtempSync(join(tmpdir(), "masc-channel-"));
    const { path } = installPackedAgent(work);
    env = { HOME: work, PATH: path, MASC_URL: server.url };
  });

  afterAll(async () => {
    for (const c of open) await c.client.close().catch(() => {});
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const start = async (room: string, agent: string, extra: string[] = [], more: Record<string, string> = {}) => {
    const c = await channel({ ...env, ...more }, ["--room", room, "--agent", agent, ...extra]);
    open.push(c);
    return c;
  };
  /** An agent over HTTP, joined. */
  const agentClient = async (room: string, name: string, token?: string) => {
    const { client } = await mcpClient(`${server.url}/r/${room}/mcp`, name, token ? { authorization: `Bearer ${token}` } : {});
    await tool(client, "masc_switch_mode", { mode: "full" });
    await tool(client, "masc_join", { agent_name: name });
    return client;
  };
  /** The channel's room socket is up: from here on nothing sent is missed. */
  const linked = (by: Client, agent: string) =>
    until(
      async () =>
        (await tool(by, "masc_who")).json.agents.find((a: { name: string; sockets: number }) => a.name === agent)?.sockets
          ? true
          : undefined,
      `${agent}'s channel in the room`,
    );

  /** Each relayed prompt's state as masc_pending_interrupts reports it, by request id. */
  const permissionStates = async (by: Client): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await tool(by, "masc_pending_interrupts")).json.permission_requests.map((r: { request_id: string; state: string }) => [
        r.request_id,
        r.state,
      ]),
    );

  it("declares the channel, pushes mentions, @all, @@type, DMs, decisions, free locks, votes, freed tasks and its budget to its agent, and no chatter", async () => {
    const room = "chan-basic";
    const ch = await start(room, "claude-1");
    expect(ch.client.getServerCapabilities()?.experimental).toEqual({ "claude/channel": {}, "claude/channel/permission": {} });
    expect(ch.client.getInstructions()).toContain('<channel source="masc"');
    const codex = await agentClient(room, "codex");
    await linked(codex, "claude-1");
    // The bridge serves every tool as masc-agent stdio does.
    expect((await ch.client.listTools()).tools.length).toBeGreaterThan(10);

    const say = (message: string) => tool(codex, "masc_broadcast", { agent_name: "codex", message });
    const arrives = (text: string) =>
      until(() => (ch.contents().some((c) => c.includes(text)) ? true : undefined), `${text} (channel said: ${ch.stderr()})`);
    await say("chatter for nobody in particular");
    await say("@bob only for bob");
    const hello = await say("@claude-1 hello there");
    await arrives("hello there");
    await say("@all stand-up in five");
    await arrives("stand-up in five");
    await say("@@claude all the claudes");
    await arrives("all the claudes");
    const dm = await tool(codex, "masc_portal_open", {
      agent_name: "codex",
      target_agent: "claude-1",
      initial_message: "psst, a private word",
    });
    expect(dm.isError, dm.text).toBe(false);
    await arrives("psst, a private word");
    await tool(codex, "masc_portal_open", { agent_name: "codex", target_agent: "bob", initial_message: "not for claude" });

    // A lock it was refused, through its own bridged call, is told of once it is free.
    await tool(codex, "masc_lock", { agent_name: "codex", file: "src/app.ts" });
    await tool(ch.client, "masc_join", { agent_name: "claude-1" });
    expect((await tool(ch.client, "masc_lock", { agent_name: "claude-1", file: "src/app.ts" })).text).toMatch(/^lock_held/);
    await tool(codex, "masc_unlock", { agent_name: "codex", file: "src/app.ts" });
    await arrives("src/app.ts is free now");

    await tool(ch.client, "masc_interrupt", { agent_name: "claude-1", task_id: "t-1", step: 1, action: "git push", message: "push?" });
    await tool(codex, "masc_approve", { task_id: "t-1" });
    await arrives("your interrupt on task t-1");
    await tool(codex, "masc_vote_create", { proposer: "codex", topic: "ship friday?", options: ["yes", "no"] });
    await arrives("ship friday?");
    // A task it holds waits for another (added after it claimed it), which codex finishes.
    const blocker = (await tool(codex, "masc_add_task", { title: "the API" })).json.task_id as string;
    const ui = (await tool(codex, "masc_add_task", { title: "the UI" })).json.task_id as string;
    expect((await tool(ch.client, "masc_claim", { agent_name: "claude-1", task_id: ui })).isError).toBe(false);
    expect((await tool(codex, "masc_task_deps", { task_id: ui, add: [blocker] })).isError).toBe(false);
    await tool(codex, "masc_claim", { agent_name: "codex", task_id: blocker });
    await tool(codex, "masc_done", { agent_name: "codex", task_id: blocker });
    await arrives(`${ui} no longer waits for anything`);
    // Its own spending reaches the room's cap: told, though its own call caused it.
    await tool(codex, "masc_budget_set", { limit_usd: 1 });
    await tool(ch.client, "masc_cost_log", { agent_name: "claude-1", cost_usd: 1.5 });
    await arrives("of its total cap of $1;");
    await say("@claude-1 last");
    await arrives("last");

    const events = ch.events();
    expect(events.map((e) => e.params.meta?.kind)).toEqual([
      "mention",
      "mention",
      "mention",
      "direct",
      "lock_free",
      "decision",
      "vote",
      "unblocked",
      "budget",
      "mention",
    ]);
    expect(events[0]?.params).toEqual({
      content: "codex: @claude-1 hello there",
      meta: { sender: "codex", kind: "mention", seq: String(hello.json.seq) },
    });
    expect(events.find((e) => e.params.meta?.kind === "decision")?.params.meta).toMatchObject({ task_id: "t-1", sender: "codex" });
    expect(events.find((e) => e.params.meta?.kind === "unblocked")?.params.meta).toMatchObject({ task_id: ui, blocker, sender: "codex" });
    for (const quiet of ["chatter", "only for bob", "not for claude"]) expect(ch.contents().join("\n")).not.toContain(quiet);
    for (const e of events) for (const k of Object.keys(e.params.meta ?? {})) expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    await codex.close();
  });

  it("turns a burst into a few events and a count, and loses or repeats nothing across a server restart and a channel restart", async () => {
    const room = "chan-burst";
    let ch = await start(room, "claude");
    const codex = await agentClient(room, "codex");
    await linked(codex, "claude");
    // Fifty mentions at once.
    const seqs = (
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => tool(codex, "masc_broadcast", { agent_name: "codex", message: `@claude burst ${i}` })),
      )
    ).map((r) => r.json.seq as number);
    const last = Math.max(...seqs);
    const covered = () =>
      ch
        .events()
        .reduce(
          (n, e) => n + (e.params.meta?.kind === "summary" ? Number(e.params.meta.count) : e.params.content?.includes("burst") ? 1 : 0),
          0,
        );
    await until(() => (covered() >= 50 ? true : undefined), "the whole burst, one by one or counted");
    const events = ch.events();
    const summaries = events.filter((e) => e.params.meta?.kind === "summary");
    expect(covered()).toBe(50);
    expect(summaries.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(10);
    expect(summaries[0]?.params.content).toMatch(
      /^\d+ more events for you arrived at once \(\d+ mention; from codex\).* masc_listen\(agent_name: "claude", since: \d+/,
    );
    // Every seq of the burst is in exactly one event: shown alone, or inside one summary's range.
    const ranges = events.map((e) =>
      e.params.meta?.kind === "summary"
        ? [Number(e.params.meta.from_seq), Number(e.params.meta.seq)]
        : [Number(e.params.meta?.seq), Number(e.params.meta?.seq)],
    );
    for (const s of seqs)
      expect(
        ranges.filter(([a, b]) => s >= (a ?? 0) && s <= (b ?? 0)),
        `seq ${s}`,
      ).toHaveLength(1);
    expect(Math.max(...ranges.map(([, b]) => b ?? 0))).toBe(last);

    // The server goes away and comes back: the channel reconnects and resumes.
    await codex.close();
    await server.restart(1000);
    const again = await agentClient(room, "codex");
    await linked(again, "claude");
    await tool(again, "masc_broadcast", { agent_name: "codex", message: "@claude after the outage" });
    await until(() => (ch.contents().some((c) => c.includes("after the outage")) ? true : undefined), "the mention after the outage");

    // The channel itself restarts (Claude Code restarted it): what came meanwhile arrives, once.
    const before = ch.contents();
    await ch.client.close();
    await tool(again, "masc_broadcast", { agent_name: "codex", message: "@claude while the channel was down" });
    ch = await start(room, "claude");
    await until(
      () => (ch.contents().some((c) => c.includes("while the channel was down")) ? true : undefined),
      "the mention sent while down",
    );
    await tool(again, "masc_broadcast", { agent_name: "codex", message: "@claude final" });
    await until(() => (ch.contents().some((c) => c.includes("@claude final")) ? true : undefined), "the final mention");
    expect(ch.contents()).toEqual(["codex: @claude while the channel was down", "codex: @claude final"]);
    expect(before.filter((c) => c.includes("after the outage"))).toHaveLength(1);
    const cursor = join(
      work,
      ".local/state/masc-agent/channels",
      `${server.url.replace("http://", "").replace(":", "_")}--${room}--claude.json`,
    );
    expect(existsSync(cursor)).toBe(true);
    expect(JSON.parse(readFileSync(cursor, "utf8")).seq).toBeGreaterThan(last);
    await again.close();
  }, 120_000);

  it("relays permission prompts: allowed and denied from the room, expired and abandoned ones never answered", async () => {
    const room = "chan-perm";
    const ch = await start(room, "claude");
    const lead = await agentClient(room, "lead");
    await linked(lead, "claude");
    const states = () => permissionStates(lead);
    const listed = (id: string, state = "pending") =>
      until(async () => ((await states())[id] === state ? true : undefined), `${id} ${state}`);

    await ch.ask("abcde");
    await listed("abcde");
    const pending = (await tool(lead, "masc_pending_interrupts")).json.permission_requests[0];
    expect(pending).toMatchObject({
      request_id: "abcde",
      agent: "claude",
      tool_name: "Bash",
      description: "Run a shell command",
      input_preview: '{"command":"ls"}',
    });
    await tool(lead, "masc_approve", { request_id: "abcde" });
    await until(() => (ch.verdicts().length ? true : undefined), "the allow verdict");
    await ch.ask("fghij");
    await listed("fghij");
    await tool(lead, "masc_reject", { request_id: "fghij" });
    await until(() => (ch.verdicts().length === 2 ? true : undefined), "the deny verdict");
    expect(ch.verdicts()).toEqual([
      { request_id: "abcde", behavior: "allow" },
      { request_id: "fghij", behavior: "deny" },
    ]);

    // A channel with a short timeout: its undecided prompt expires; a closed channel's is abandoned.
    const short = await start(room, "gemini", ["--permission-timeout", "1"]);
    await linked(lead, "gemini");
    await short.ask("kmnop");
    await listed("kmnop", "expired");
    expect((await tool(lead, "masc_approve", { request_id: "kmnop" })).text).toMatch(/^already_decided: .*expired/);
    await short.ask("qrstu");
    await listed("qrstu", "expired");
    const gone = await start(room, "codex");
    await linked(lead, "codex");
    await gone.ask("vwxyz");
    await listed("vwxyz");
    await gone.client.close();
    await listed("vwxyz", "abandoned");
    expect((await tool(lead, "masc_approve", { request_id: "vwxyz" })).text).toMatch(/^already_decided: .*abandoned/);
    expect(short.verdicts()).toEqual([]);

    // --no-permission-relay: the capability is not declared and prompts stay in the terminal.
    const off = await start(room, "cursor", ["--no-permission-relay"]);
    expect(off.client.getServerCapabilities()?.experimental).toEqual({ "claude/channel": {} });
    await lead.close();
  }, 90_000);

  it("with auth on: the channel acts with its token, and only another admin may decide its prompt", async () => {
    const room = "chan-auth";
    const { client: owner } = await mcpClient(`${server.url}/r/${room}/mcp`, "owner");
    await tool(owner, "masc_switch_mode", { mode: "full" });
    const secret = (await tool(owner, "masc_auth_enable", { require_token: true })).json.room_secret;
    await owner.close();
    const admin = (await mcpClient(`${server.url}/r/${room}/mcp`, "admin", { authorization: `Bearer ${secret}` })).client;
    await tool(admin, "masc_switch_mode", { mode: "full" });
    const mint = async (agent: string, role: string) =>
      (await tool(admin, "masc_auth_create_token", { agent_name: agent, role })).json.token as string;
    const tokens = { claude: await mint("claude", "admin"), codex: await mint("codex", "worker"), lead: await mint("lead", "admin") };
    await admin.close();

    const ch = await start(room, "claude", ["--token", tokens.claude]);
    const lead = await agentClient(room, "lead", tokens.lead);
    await linked(lead, "claude");
    await ch.ask("abcde");
    await until(
      async () => ((await tool(lead, "masc_pending_interrupts")).json.permission_pending === 1 ? true : undefined),
      "the prompt listed",
    );
    const self = await agentClient(room, "claude", tokens.claude);
    expect((await tool(self, "masc_approve", { request_id: "abcde" })).text).toMatch(/^forbidden: claude cannot decide its own/);
    const worker = await agentClient(room, "codex", tokens.codex);
    expect((await tool(worker, "masc_approve", { request_id: "abcde" })).text).toMatch(/^forbidden: /);
    expect(ch.verdicts()).toEqual([]);
    await tool(lead, "masc_approve", { request_id: "abcde" });
    await until(() => (ch.verdicts().length ? true : undefined), "the verdict");
    expect(ch.verdicts()).toEqual([{ request_id: "abcde", behavior: "allow" }]);
    // Its mentions arrive through its own credential.
    await tool(worker, "masc_broadcast", { agent_name: "codex", message: "@claude with auth on" });
    await until(() => (ch.contents().some((c) => c.includes("with auth on")) ? true : undefined), "the mention with auth on");
    await Promise.all([lead.close(), self.close(), worker.close()]);
  }, 90_000);

  /** The room's dashboard in Chromium, live (its socket open), for as long as `fn` runs. */
  const onDashboard = async (room: string, fn: (page: Page) => Promise<void>) => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${server.url}/r/${room}/`);
      await page.waitForSelector("#conn.live");
      await fn(page);
    } finally {
      await browser?.close();
    }
  };

  it("Chromium allows a destructive-looking prompt on the dashboard, with its id typed, and the verdict arrives", async () => {
    const room = "chan-dash";
    const ch = await start(room, "claude");
    const lead = await agentClient(room, "lead");
    await linked(lead, "claude");
    try {
      await onDashboard(room, async (page) => {
        await ch.ask("rstuv", '{"command":"rm -rf build/"}');
        const item = page.locator('[data-request="rstuv"]');
        await item.waitFor();
        expect(await item.textContent()).toContain("rm -rf build/");
        await item.locator("button.approve").click();
        await page.fill("#confirm-input", "rstuv");
        await page.click("#confirm-go");
        await until(() => (ch.verdicts().length ? true : undefined), "the verdict from the dashboard");
        expect(ch.verdicts()).toEqual([{ request_id: "rstuv", behavior: "allow" }]);
        await item.waitFor({ state: "detached" });
      });
    } finally {
      await lead.close();
    }
  }, 90_000);

  it("Chromium shows an expired and an abandoned prompt dimmed with their state, without Approve or Reject, live", async () => {
    const room = "chan-dash-gone";
    const lead = await agentClient(room, "lead");
    const short = await start(room, "gemini", ["--permission-timeout", "3"]);
    const gone = await start(room, "codex");
    await linked(lead, "gemini");
    await linked(lead, "codex");
    const states = () => permissionStates(lead);
    try {
      await onDashboard(room, async (page) => {
        // No event announces an expiry or a lost channel: the open page must notice both by itself,
        // well before its 30 s safety refresh, hence the shorter bound on each wait below.
        page.setDefaultTimeout(20_000);
        const shown = (id: string, state: string) => page.locator(`[data-request="${id}"].dim`, { hasText: `request ${id} · ${state}` });
        const decided = (id: string) => page.locator(`[data-request="${id}"] button`);
        // While its channel is there the prompt can be decided from the page.
        await gone.ask("vwxyz");
        await page.locator('[data-request="vwxyz"] button.approve').waitFor();
        expect(await decided("vwxyz").count()).toBe(2);
        // Its channel goes away: the page learns it from the room, no prompt's expiry being due.
        await gone.client.close();
        await shown("vwxyz", "abandoned").waitFor();
        expect(await decided("vwxyz").count(), "vwxyz offers no decision").toBe(0);
        // The short-lived prompt runs out while the page looks on.
        await short.ask("kmnop");
        await page.locator('[data-request="kmnop"]').waitFor();
        await shown("kmnop", "expired").waitFor();
        expect(await decided("kmnop").count(), "kmnop offers no decision").toBe(0);
        for (const id of ["vwxyz", "kmnop"])
          expect(await page.locator(`[data-request="${id}"]`).textContent()).toContain('{"command":"ls"}');
        expect(await page.locator("#interrupts button.approve, #interrupts button.reject").count()).toBe(0);
      });

      expect(await states()).toEqual({ kmnop: "expired", vwxyz: "abandoned" });
      const refused = await tool(lead, "masc_approve", { request_id: "kmnop" });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/^already_decided: permission request kmnop is expired undecided; a decision is final/);
      expect(await states()).toEqual({ kmnop: "expired", vwxyz: "abandoned" });
      expect((await tool(lead, "masc_reject", { request_id: "vwxyz" })).text).toMatch(
        /^already_decided: permission request vwxyz is abandoned/,
      );
      expect(short.verdicts()).toEqual([]);
      expect(gone.verdicts()).toEqual([]);
    } finally {
      await lead.close();
    }
  }, 60_000);
});
