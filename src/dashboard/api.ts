import { AGENT_NAME_RE, TASK_ID_RE } from "../mcp/fields";
import { authEnabled, type Caller } from "../room/auth";
import { hookInfo } from "../room/hook";
import { atLeast } from "../room/permissions";
import { act, actorOf, PAGE_TOOLS } from "./actions";
import { chartSeries, MAX_HOURS } from "./charts";
import { inviteFromPage } from "./invite";
import { overview } from "./overview";
import type { DashboardRoom } from "./port";
import { taskDetail } from "./task-detail";
import { timeline, timelineQuery } from "./timeline";

const bad = (message: string, status = 400) =>
  Response.json({ error: status === 404 ? "not_found" : "invalid_input", message }, { status });

/** Who the page is acting as and what it may do, so it offers only the actions that will pass. */
function whoami(core: DashboardRoom, caller: Caller | null, asked: string | null): Response {
  const role = caller ? caller.role : "admin";
  const actsAs = actorOf(caller, asked);
  if (typeof actsAs !== "string") return bad(actsAs.error);
  return Response.json({
    room: core.name,
    auth: authEnabled(core.db),
    agent: caller?.agent ?? null,
    acts_as: actsAs,
    // Without an agent of its own (open room, owner or room secret) the person picks the name.
    chooses_name: !caller?.agent,
    role,
    via: caller?.via ?? "open",
    can: {
      act: atLeast(role, "worker") ? PAGE_TOOLS : [],
      decide: atLeast(role, "admin"),
      force: atLeast(role, "admin"),
    },
  });
}

/** Routes under /r/<room>/api/. */
export async function dashboardApi(core: DashboardRoom, req: Request, path: string, caller: Caller | null): Promise<Response> {
  const rest = path.slice(path.indexOf("/api/") + "/api/".length);
  const q = new URL(req.url).searchParams;
  if (req.method === "POST") {
    if (rest === "act") return act(core, req, caller);
    if (rest === "invite") return inviteFromPage(core, req, caller);
    if (rest === "permission-request") return core.permissionRequest(req, caller);
    // Read the body to its end first: the Worker may still be piping it.
    await req.arrayBuffer().catch(() => undefined);
    return bad(`no POST route ${rest}`, 404);
  }
  if (req.method !== "GET") return Response.json({ error: "method_not_allowed", message: "GET or POST" }, { status: 405 });
  if (rest === "overview") return overview(core, caller);
  if (rest === "whoami") return whoami(core, caller, q.get("as"));
  if (rest === "timeline") {
    const tq = timelineQuery(q);
    if ("error" in tq) return bad(tq.error);
    return Response.json(await timeline(core.db, core.codec, caller, tq));
  }
  if (rest === "charts") {
    const hours = Number(q.get("hours") ?? 3);
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) return bad(`hours must be 1-${MAX_HOURS}`);
    return Response.json(chartSeries(core.db, Date.now(), hours));
  }
  const task = /^tasks\/([^/]+)$/.exec(rest);
  if (task?.[1]) {
    const id = decodeURIComponent(task[1]);
    if (!TASK_ID_RE.test(id)) return bad("task id must be 1-128 of [A-Za-z0-9_:-]");
    return taskDetail(core, id, caller);
  }
  if (rest.startsWith("hook")) {
    // Mentions are private to their agent: only an open room or an admin may ask about another's.
    const asked = caller && caller.role !== "admin" ? null : q.get("agent");
    const agent = caller?.agent ?? asked;
    return Response.json(
      await hookInfo(core.db, core.codec, Date.now(), agent && AGENT_NAME_RE.test(agent) ? agent : null, q.getAll("file")),
    );
  }
  return bad(`no api route ${rest}`, 404);
}
