import { STYLE } from "./style";

/** The landing page: every room the credential may see, with live counts. Text only, never HTML. */
export const LANDING_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>masc · rooms</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>masc · rooms</h1>
  <span id="scope" class="dim"></span>
  <a class="dim" href="/graphql">GraphiQL</a>
  <span id="error" class="dim"></span>
  <form id="auth"><input id="token" type="password" placeholder="owner secret or admin token" autocomplete="off"><button>Use</button></form>
</header>
<div class="rooms" id="rooms"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (k === "class") e.className = v; else e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
const ago = (iso) => { const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); return s < 60 ? s + "s ago" : s < 3600 ? Math.round(s / 60) + "m ago" : s < 86400 ? Math.round(s / 3600) + "h ago" : Math.round(s / 86400) + "d ago"; };
async function load() {
  const t = localStorage.getItem("masc-token") || "";
  const res = await fetch("/api/rooms", { headers: t ? { authorization: "Bearer " + t } : {} });
  const body = await res.json();
  if (!res.ok) { $("error").textContent = body.message; return; }
  $("error").textContent = "";
  $("scope").textContent = body.total + (body.scope === "all" ? " rooms" : " open rooms (rooms with auth need the owner secret)");
  $("rooms").replaceChildren(...body.rooms.map((r) => el("section", { class: "roomcard", "data-room": r.name },
    el("h3", {}, el("a", { href: "/r/" + encodeURIComponent(r.name) + "/" }, r.name), r.auth ? el("span", { class: "status" }, "auth") : null),
    el("div", { class: "counts" }, el("span", { "data-count": "tasks" }, r.tasks_open + " open / " + r.tasks_total + " tasks"), el("span", { "data-count": "agents" }, r.agents_active + " agents"), el("span", { "data-count": "approvals" }, r.pending_approvals + " waiting for approval")),
    el("div", { class: "dim" }, r.events + " events · last activity " + (r.events ? ago(r.last_activity) : "never")))));
  if (!body.rooms.length) $("rooms").append(el("p", { class: "dim" }, "No room has been used yet. Agents connect to /r/<room>/mcp; the default room is at /r/default/."));
}
$("token").value = localStorage.getItem("masc-token") || "";
$("auth").addEventListener("submit", (ev) => { ev.preventDefault(); localStorage.setItem("masc-token", $("token").value.trim()); load(); });
load().catch((err) => { $("error").textContent = String(err); });
setInterval(() => { if (document.visibilityState === "visible") load().catch(() => {}); }, 5000);
</script>
</body>
</html>`;
