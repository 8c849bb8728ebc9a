/**
 * Mention → channel event: the time from starting a masc_broadcast that mentions an agent to the
 * `notifications/claude/channel` arriving at the session that runs `masc-agent channel` for it
 * (the official SDK client over stdio stands in for Claude Code). Sent a few per second, under
 * the channel's burst pacing, so each sample is one mention's own trip.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { percentile } from "../stats.ts";

const AGENT = new URL("../../local-agent/bin/masc-agent.js", import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ChannelResult {
  p50: number;
  p99: number;
  samples: number;
  lost: number;
  /** masc_approve of a relayed permission prompt → the verdict at the session. */
  verdict: { p50: number; p99: number; samples: number; lost: number };
}

const LETTERS = "abcdefghijkmnopqrstuvwxyz";
/** Claude Code's request id form: five lowercase letters, no `l`. */
const requestId = (n: number) =>
  Array.from({ length: 5 }, (_, i) => LETTERS[Math.floor(n / LETTERS.length ** i) % LETTERS.length]).join("");

export async function benchChannel(baseUrl: string, mentions = 60): Promise<ChannelResult> {
  const room = `bench-channel-${Date.now()}`;
  const home = mkdtempSync(join(tmpdir(), "masc-bench-channel-"));
  const session = new Client({ name: "claude-code", version: "bench" });
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  session.fallbackNotificationHandler = async (n) => {
    const verdict = (n.params as { request_id?: unknown } | undefined)?.request_id;
    if (n.method === "notifications/claude/channel/permission" && typeof verdict === "string") {
      arrived.set(verdict, performance.now());
      waiters.get(verdict)?.();
      return;
    }
    const content = String((n.params as { content?: unknown } | undefined)?.content ?? "");
    const key = /ping-(\d+)/.exec(content)?.[0];
    if (n.method !== "notifications/claude/channel" || !key) return;
    arrived.set(key, performance.now());
    waiters.get(key)?.();
  };
  await session.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [AGENT, "channel", "--url", baseUrl, "--room", room, "--agent", "claude"],
      env: { ...(process.env as Record<string, string>), HOME: home, XDG_STATE_HOME: join(home, "state") },
      stderr: "ignore",
    }),
  );
  const sender = new Client({ name: "codex", version: "bench" });
  await sender.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/r/${room}/mcp`)));
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await sender.callTool({ name, arguments: args })) as { content: Array<{ text?: string }> };
    return String(result.content[0]?.text ?? "");
  };
  await call("masc_join", { agent_name: "codex" });
  // The channel's socket is up once its agent shows one in masc_who.
  for (let i = 0; i < 300; i++) {
    const who = JSON.parse((await call("masc_who", {})).split("\n")[0] ?? "{}");
    if (who.agents?.some((a: { name: string; sockets: number }) => a.name === "claude" && a.sockets > 0)) break;
    await sleep(100);
  }
  const samples: number[] = [];
  const verdicts: number[] = [];
  let lost = 0;
  let verdictsLost = 0;
  /** Starts `act` and waits for `key` to arrive at the session; the time between, or null. */
  const trip = async (key: string, act: () => Promise<unknown>): Promise<number | null> => {
    const got = new Promise<boolean>((resolve) => {
      waiters.set(key, () => resolve(true));
      setTimeout(() => resolve(false), 5_000);
    });
    const start = performance.now();
    await act();
    const ok = await got;
    waiters.delete(key);
    return ok ? (arrived.get(key) ?? start) - start : null;
  };
  try {
    for (let i = 0; i < mentions; i++) {
      const ms = await trip(`ping-${i}`, () => call("masc_broadcast", { agent_name: "codex", message: `@claude ping-${i}` }));
      if (ms === null) lost++;
      else samples.push(ms);
      // Under three a second: the channel passes those on one by one (more wait for the next second).
      await sleep(450);
    }
    for (let i = 0; i < 20; i++) {
      const id = requestId(i + 1000);
      await session.notification({
        method: "notifications/claude/channel/permission_request",
        params: { request_id: id, tool_name: "Bash", description: "bench", input_preview: "{}" },
      });
      // The channel hands the prompt to the room on its own; decide once it is there.
      for (let t = 0; t < 100 && !(await call("masc_pending_interrupts", {})).includes(`"request_id":"${id}","agent":"claude"`); t++)
        await sleep(20);
      const ms = await trip(id, () => call("masc_approve", { request_id: id }));
      if (ms === null) verdictsLost++;
      else verdicts.push(ms);
    }
  } finally {
    await sender.close();
    await session.close();
    rmSync(home, { recursive: true, force: true });
  }
  const v = verdicts.sort((a, b) => a - b);
  const verdict = { p50: percentile(v, 50), p99: percentile(v, 99), samples: v.length, lost: verdictsLost };
  const sorted = samples.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length, lost, verdict };
}
