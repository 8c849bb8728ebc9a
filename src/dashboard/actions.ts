import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { callTool } from "../mcp/call";
import type { ToolContext } from "../mcp/define";
import { AGENT_NAME_RE } from "../mcp/fields";
import { CATEGORIES } from "../mcp/modes";
import { TOOLS_BY_NAME } from "../mcp/registry";
import type { SessionApi } from "../mcp/room-port";
import { getAgent } from "../room/agents";
import type { Caller } from "../room/auth";
import { pendingInterrupts } from "../room/interrupts";
import { getPermission } from "../room/permission-requests";
import { isDestructive } from "./destructive";
import type { DashboardRoom } from "./port";

/**
 * What a person may do from the page. Each is the MCP tool of the same name, run through the same
 * pipeline (schema, permission table, rate limits, transaction, event), never a copy of it.
 */
export const PAGE_TOOLS = [
  "masc_broadcast",
  "masc_add_task",
  "masc_update_priority",
  "masc_cancel_task",
  "masc_unlock",
  "masc_vote_cast",
  "masc_approve",
  "masc_reject",
] as const;

export const DEFAULT_HUMAN = "human";

/** The dashboard as an MCP session: every category, acting as the person's name. */
function pageSession(agent: string): SessionApi {
  return { id: `dashboard:${agent}`, agent, mode: "full", categories: CATEGORIES, bindAgent() {}, setMode() {} };
}

/** The name a person acts under: their token's agent, else the name they typed, else "human". */
export function actorOf(caller: Caller | null, asked: unknown): string | { error: string } {
  if (caller?.agent) return caller.agent;
  if (asked === undefined || asked === null || asked === "") return DEFAULT_HUMAN;
  if (typeof asked !== "string" || !AGENT_NAME_RE.test(asked))
    return { error: "as must be 1-64 characters of letters, digits, '-' or '_'" };
  return asked;
}

function status(result: CallToolResult): number {
  if (!result.isError) return 200;
  const text = result.content[0]?.type === "text" ? result.content[0].text : "";
  const code = text.slice(0, text.indexOf(":"));
  return (
    (
      { forbidden: 403, unauthorized: 401, rate_limited: 429, invalid_input: 400, task_not_found: 404, not_found: 404 } as Record<
        string,
        number
      >
    )[code] ?? 409
  );
}

async function run(core: DashboardRoom, name: string, args: Record<string, unknown>, caller: Caller | null, agent: string) {
  const tool = TOOLS_BY_NAME.get(name);
  if (!tool) throw new Error(`${name} is not registered`);
  const ctx: ToolContext = {
    db: core.db,
    now: Date.now(),
    room: core.room,
    session: pageSession(agent),
    caller,
    signal: AbortSignal.timeout(30_000),
    progress: async () => {},
  };
  const result = await callTool(tool, args, ctx);
  core.observe(tool.name, Date.now() - ctx.now, result.isError ? "error" : "ok");
  return result;
}

/** POST /api/act {tool, args, as?}: one room change, with its event, exactly as the tool makes it. */
export async function act(core: DashboardRoom, req: Request, caller: Caller | null): Promise<Response> {
  const body = (await req.json().catch(() => null)) as { tool?: unknown; args?: unknown; as?: unknown; confirm?: unknown } | null;
  const name = body?.tool;
  if (typeof name !== "string" || !(PAGE_TOOLS as readonly string[]).includes(name))
    return Response.json({ error: "invalid_input", message: `tool must be one of ${PAGE_TOOLS.join(", ")}` }, { status: 400 });
  const raw = body?.args ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return Response.json({ error: "invalid_input", message: "args must be an object of the tool's arguments" }, { status: 400 });
  const agent = actorOf(caller, body?.as);
  if (typeof agent !== "string") return Response.json({ error: "invalid_input", message: agent.error }, { status: 400 });
  const tool = TOOLS_BY_NAME.get(name);
  const args: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const unconfirmed =
    name === "masc_approve"
      ? ((await needsConfirmation(core, args.task_id, body?.confirm)) ??
        (await requestNeedsConfirmation(core, args.request_id, body?.confirm)))
      : null;
  if (unconfirmed) return Response.json({ error: "confirmation_required", message: unconfirmed }, { status: 428 });
  // The actor is the page's name, never one the body names: a worker cannot act as someone else here either.
  if (tool && "agent_name" in tool.input) args.agent_name = agent;
  try {
    // Messages, votes and lock releases need the person in the room, as they would an agent.
    if ("agent_name" in (tool?.input ?? {}) && (getAgent(core.db, agent)?.status ?? "left") !== "active") {
      const joined = await run(core, "masc_join", { agent_name: agent }, caller, agent);
      if (joined.isError) return Response.json(reply(joined), { status: status(joined) });
    }
    const result = await run(core, name, args, caller, agent);
    return Response.json(reply(result), { status: status(result) });
  } finally {
    await core.flush();
  }
}

/** A destructive pending action is approved only with its task id typed back in `confirm`. */
async function needsConfirmation(core: DashboardRoom, taskId: unknown, confirm: unknown): Promise<string | null> {
  if (typeof taskId !== "string") return null;
  const pending = pendingInterrupts(core.db, taskId)[0];
  if (!pending) return null;
  const action = await core.codec.open("interrupt", pending.action);
  if (!isDestructive(action) || confirm === taskId) return null;
  return `approving "${action}" cannot be undone: send confirm with the task id ${taskId}`;
}

/** The same for a relayed permission request whose preview looks destructive: its request id typed in. */
async function requestNeedsConfirmation(core: DashboardRoom, requestId: unknown, confirm: unknown): Promise<string | null> {
  if (typeof requestId !== "string") return null;
  const r = getPermission(core.db, requestId);
  if (r?.state !== "pending") return null;
  const preview = `${await core.codec.open("interrupt", r.description)}\n${await core.codec.open("interrupt", r.input_preview)}`;
  if (!isDestructive(preview) || confirm === requestId) return null;
  return `allowing ${r.tool_name} "${preview.replace(/\s+/g, " ").slice(0, 200)}" cannot be undone: send confirm with the request id ${requestId}`;
}

function reply(result: CallToolResult) {
  const text = result.content[0]?.type === "text" ? result.content[0].text : "";
  if (result.isError) return { ok: false, error: text.slice(0, text.indexOf(":")), message: text };
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text.split("\n")[0] ?? "");
  } catch {
    // Plain text result.
  }
  return { ok: true, result: parsed };
}
