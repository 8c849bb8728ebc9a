import { AGENT_NAME_RE } from "../mcp/fields";
import type { Caller } from "../room/auth";
import { createInvite, DEFAULT_INVITE_MINUTES } from "../room/oauth";
import { atLeast, ROLES, type Role } from "../room/permissions";
import type { DashboardRoom } from "./port";

/**
 * The dashboard's Invite control, self-contained (its markup, script and API route), so it can sit
 * in any layout of the page: an admin mints a one-time OAuth sign-in invite for an agent and role.
 */

const bad = (message: string) => Response.json({ error: "invalid_input", message }, { status: 400 });

/** POST /r/<room>/api/invite {agent_name, role, ttl_minutes?}: the same as masc_auth_invite, admin only. */
export async function inviteFromPage(core: DashboardRoom, req: Request, caller: Caller | null): Promise<Response> {
  if (req.method !== "POST") return Response.json({ error: "method_not_allowed", message: "POST to mint an invite" }, { status: 405 });
  // Read the body before any answer: a reply sent while the Worker still pipes it is a runtime error.
  const body = (await req.json().catch(() => null)) as Record<string, unknown> | null;
  if (caller && !atLeast(caller.role, "admin"))
    return Response.json({ error: "forbidden", message: "minting an invite needs role admin" }, { status: 403 });
  if (!body || typeof body !== "object") return bad("send a JSON object {agent_name, role, ttl_minutes?}");
  const unknown = Object.keys(body).find((k) => !["agent_name", "role", "ttl_minutes"].includes(k));
  if (unknown) return bad(`unknown field ${unknown}; allowed: agent_name, role, ttl_minutes`);
  const { agent_name: agent, role = "worker", ttl_minutes: minutes = DEFAULT_INVITE_MINUTES } = body;
  if (typeof agent !== "string" || !AGENT_NAME_RE.test(agent)) return bad("agent_name must be 1-64 of [A-Za-z0-9_-]");
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) return bad(`role must be one of ${ROLES.join(", ")}`);
  if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 1 || minutes > 10080)
    return bad("ttl_minutes must be an integer from 1 to 10080");
  const minted = await createInvite(core.db, Date.now(), agent, role as Role, minutes, caller?.agent ?? "dashboard");
  await core.flush();
  return Response.json({ agent, role, invite: minted.invite, expires_at: new Date(minted.expires_at).toISOString() });
}

export const INVITE_HTML = `<details id="invite-panel"><summary>Invite</summary>
<form id="invite-form"><input id="invite-agent" placeholder="agent name" required pattern="[A-Za-z0-9_\\-]{1,64}">
<select id="invite-role">${ROLES.map((r) => `<option${r === "worker" ? " selected" : ""}>${r}</option>`).join("")}</select>
<button>Mint invite</button></form>
<div id="invite-out" class="dim"></div></details>`;

/** Its own scope and its own token lookup, so it does not depend on the rest of the page's script. */
export const INVITE_SCRIPT = `
(() => {
  const form = document.getElementById("invite-form");
  if (!form) return;
  const out = document.getElementById("invite-out");
  const m = location.pathname.match(/^\\/r\\/([^/]+)/);
  const room = m ? decodeURIComponent(m[1]) : "default";
  const mcp = location.origin + (room === "default" ? "/mcp" : "/r/" + encodeURIComponent(room) + "/mcp");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const h = { "content-type": "application/json" };
    const t = localStorage.getItem("masc-token");
    if (t) h.authorization = "Bearer " + t;
    const body = { agent_name: document.getElementById("invite-agent").value, role: document.getElementById("invite-role").value };
    const res = await fetch("/r/" + encodeURIComponent(room) + "/api/invite", { method: "POST", headers: h, body: JSON.stringify(body) });
    const got = await res.json().catch(() => ({}));
    out.replaceChildren();
    if (!res.ok) { out.textContent = got.message || ("error " + res.status); return; }
    const code = document.createElement("code"); code.id = "invite-code"; code.textContent = got.invite;
    out.append("Invite for " + got.agent + " (" + got.role + "), once, until " + got.expires_at + ": ", code,
      ". Add " + mcp + " to the client and paste the invite on its sign-in page.");
  });
})();
`;
