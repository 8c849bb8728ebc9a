import type { Caller } from "../room/auth";
import { budgetStatus } from "../room/budgets";
import { costReport } from "../room/costs";
import { bodyField, lastSeq, latestPerTask } from "../room/events";
import { pendingInterrupts, showCheckpoint } from "../room/interrupts";
import { listLocks } from "../room/locks";
import { latestMessages } from "../room/messages";
import { pendingPermissions, showPermission } from "../room/permission-requests";
import { viewerOf } from "../room/visibility";
import { viewVote, votesOpenFirst } from "../room/votes";
import { isDestructive } from "./destructive";
import type { DashboardRoom } from "./port";

/** The latest progress report of every task that has one. */
async function progressByTask(core: DashboardRoom) {
  const rows = latestPerTask(core.db, "progress");
  const out: Record<string, { progress: number; total: number | null; message: string | null; agent: string | null; at: string }> = {};
  for (const e of rows) {
    const id = e.data.task_id;
    if (typeof id !== "string") continue;
    out[id] = {
      progress: Number(e.data.progress ?? 0),
      total: typeof e.data.total_steps === "number" ? e.data.total_steps : null,
      message: e.body === null ? null : await core.codec.open("message", e.body),
      agent: e.actor,
      at: new Date(e.ts).toISOString(),
    };
  }
  return out;
}

/** Everything the page shows besides GraphQL's board and agents. */
export async function overview(core: DashboardRoom, caller: Caller | null): Promise<Response> {
  const { db, codec } = core;
  const now = Date.now();
  const messages = await Promise.all(
    latestMessages(db, null, 100, viewerOf(caller)).map(async (e) => ({
      seq: e.seq,
      from: e.actor,
      content: e.body === null ? "" : await codec.open(bodyField(e.kind), e.body),
      mention: e.target,
      mentions: (e.data.mentions as string[] | undefined) ?? (e.target ? [e.target] : []),
      reply_to: typeof e.data.reply_to === "number" ? e.data.reply_to : null,
      thread: typeof e.data.thread === "number" ? e.data.thread : null,
      timestamp: new Date(e.ts).toISOString(),
    })),
  );
  const pending = await Promise.all(pendingInterrupts(db).map((c) => showCheckpoint(codec, c)));
  const live = (channel: string) => core.channelLive(channel);
  // Undecided ones only: waiting, expired, or of a channel that went away.
  const requests = await Promise.all(pendingPermissions(db, 20).map((r) => showPermission(codec, r, now, live)));
  const votes = votesOpenFirst(db, 20).map((v) => viewVote(db, v));
  const cost = costReport(db, now, "all", {});
  return Response.json({
    room: core.name,
    // The page times its redraw at the next expiry by the room's clock, not its own.
    now: new Date(now).toISOString(),
    last_seq: lastSeq(db),
    messages,
    pending_interrupts: pending.map((p) => ({ ...p, destructive: isDestructive(p.action) })),
    permission_requests: requests.map((r) => ({ ...r, destructive: isDestructive(`${r.description}\n${r.input_preview}`) })),
    locks: listLocks(db, now, { limit: 200 }).locks,
    votes,
    progress: await progressByTask(core),
    budgets: budgetStatus(db, now),
    cost: {
      total_usd: cost.total_cost_usd,
      entries: cost.total_entries,
      input_tokens: cost.total_input_tokens,
      output_tokens: cost.total_output_tokens,
      by_agent: cost.by_agent,
      by_task: cost.by_task,
    },
  });
}
