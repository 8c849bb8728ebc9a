import { AGENT_NAME_RE, TASK_ID_RE } from "../mcp/fields";
import type { Caller } from "../room/auth";
import type { RoomCore } from "../room/core";
import { MascError } from "../room/errors";
import { bodyField, lastSeq } from "../room/events";
import { hookInfo } from "../room/hook";
import { decide, pendingInterrupts, showCheckpoint } from "../room/interrupts";
import { latestMessages } from "../room/messages";
import { atLeast } from "../room/permissions";
import { viewerOf } from "../room/visibility";
import { inviteFromPage } from "./invite";

function hasTable(core: RoomCore, name: string): boolean {
  return core.db.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", name) !== undefined;
}

/** What the dashboard shows besides GraphQL's board: recent messages, pending interrupts, cost so far. */
async function overview(core: RoomCore, caller: Caller | null): Promise<Response> {
  const { db, codec } = core;
  const messages = await Promise.all(
    latestMessages(db, null, 100, viewerOf(caller)).map(async (e) => ({
      seq: e.seq,
      from: e.actor,
      content: e.body === null ? "" : await codec.open(bodyField(e.kind), e.body),
      mention: e.target,
      mentions: (e.data.mentions as string[] | undefined) ?? (e.target ? [e.target] : []),
      timestamp: new Date(e.ts).toISOString(),
    })),
  );
  const cost = hasTable(core, "costs")
    ? (db.one<{ total: number | null; n: number }>("SELECT SUM(cost_usd) AS total, COUNT(*) AS n FROM costs") ?? { total: 0, n: 0 })
    : null;
  return Response.json({
    room: core.name,
    last_seq: lastSeq(db),
    messages,
    pending_interrupts: await Promise.all(pendingInterrupts(db).map((c) => showCheckpoint(codec, c))),
    cost: cost && { total_usd: cost.total ?? 0, entries: cost.n },
  });
}

/** A human's decision from the dashboard, the same domain call as masc_approve / masc_reject. */
async function decideFromPage(
  core: RoomCore,
  req: Request,
  taskId: string,
  decision: "approved" | "rejected",
  by: string,
): Promise<Response> {
  if (req.method !== "POST") return Response.json({ error: "method_not_allowed", message: "POST to decide" }, { status: 405 });
  if (!TASK_ID_RE.test(taskId))
    return Response.json({ error: "invalid_input", message: "task_id must be 1-128 of [A-Za-z0-9_:-]" }, { status: 400 });
  let reason: string | null = null;
  if (decision === "rejected") {
    const body = (await req.json().catch(() => ({}))) as { reason?: unknown };
    if (body.reason !== undefined && (typeof body.reason !== "string" || body.reason.length > 1000)) {
      return Response.json({ error: "invalid_input", message: "reason must be a string of at most 1000 characters" }, { status: 400 });
    }
    reason = typeof body.reason === "string" && body.reason ? await core.codec.seal("interrupt", body.reason) : null;
  }
  try {
    const cp = core.db.tx(() => decide(core.db, Date.now(), taskId, decision, by, reason));
    await core.flush();
    return Response.json({ ok: true, checkpoint: await showCheckpoint(core.codec, cp) });
  } catch (err) {
    if (err instanceof MascError)
      return Response.json({ error: err.code, message: err.message }, { status: err.code === "not_found" ? 404 : 409 });
    throw err;
  }
}

/** Routes under /r/<room>/api/. */
export async function dashboardApi(core: RoomCore, req: Request, path: string, caller: Caller | null): Promise<Response> {
  const rest = path.slice(path.indexOf("/api/") + "/api/".length);
  if (rest === "overview" && req.method === "GET") return overview(core, caller);
  if (rest.startsWith("hook") && req.method === "GET") {
    const q = new URL(req.url).searchParams;
    // Mentions are private to their agent: only an open room or an admin may ask about another's.
    const asked = caller && caller.role !== "admin" ? null : q.get("agent");
    const agent = caller?.agent ?? asked;
    return Response.json(
      await hookInfo(core.db, core.codec, Date.now(), agent && AGENT_NAME_RE.test(agent) ? agent : null, q.getAll("file")),
    );
  }
  if (rest === "invite") return inviteFromPage(core, req, caller);
  const m = /^interrupts\/([^/]+)\/(approve|reject)$/.exec(rest);
  if (m?.[1] && m[2]) {
    if (caller && !atLeast(caller.role, "admin"))
      return Response.json({ error: "forbidden", message: "deciding an interrupt needs role admin" }, { status: 403 });
    return decideFromPage(core, req, decodeURIComponent(m[1]), m[2] === "approve" ? "approved" : "rejected", caller?.agent ?? "dashboard");
  }
  return Response.json({ error: "not_found", message: `no api route ${rest}` }, { status: 404 });
}
