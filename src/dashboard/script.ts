/** The page's script: state from GraphQL and /api/overview, live updates over the room WebSocket. */
export const SCRIPT = `
"use strict";
const m = location.pathname.match(/^\\/r\\/([^/]+)/);
const room = m ? decodeURIComponent(m[1]) : "default";
const base = "/r/" + encodeURIComponent(room);
const STATES = ["todo", "claimed", "in_progress", "done", "cancelled"];
let lastSeq = 0, socket = null, backoff = 500, refreshTimer = null;
const $ = (id) => document.getElementById(id);
const token = () => localStorage.getItem("masc-token") || "";
const headers = () => { const h = { "content-type": "application/json" }; if (token()) h.authorization = "Bearer " + token(); return h; };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
const ago = (iso) => { const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); return s < 60 ? s + "s ago" : s < 3600 ? Math.round(s / 60) + "m ago" : Math.round(s / 3600) + "h ago"; };

/** Message text with @mentions wrapped in highlighted spans; only text nodes, never HTML. */
function withMentions(text) {
  const out = el("span", {});
  let last = 0;
  for (const match of text.matchAll(/@@?[A-Za-z0-9_-]+/g)) {
    out.append(document.createTextNode(text.slice(last, match.index)));
    out.append(el("span", { class: "mention" }, match[0]));
    last = match.index + match[0].length;
  }
  out.append(document.createTextNode(text.slice(last)));
  return out;
}

async function gql(query) {
  const res = await fetch(base + "/graphql", { method: "POST", headers: headers(), body: JSON.stringify({ query }) });
  if (res.status === 401) throw new Error("unauthorized: enter a token");
  const body = await res.json();
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
}

function renderBoard(tasks) {
  const board = $("board"); board.replaceChildren();
  for (const state of STATES) {
    const mine = tasks.filter((t) => t.status.status === state);
    const col = el("div", { class: "col", "data-state": state }, el("h3", {}, state.replace("_", " ") + " ", el("span", {}, mine.length)));
    for (const t of mine) col.append(el("div", { class: "card p" + t.priority, "data-task": t.id }, el("div", { class: "id" }, t.id + " · P" + t.priority), el("div", {}, t.title), t.status.assignee ? el("div", { class: "who" }, t.status.assignee) : null));
    board.append(col);
  }
}

function renderAgents(agents) {
  $("agents").replaceChildren(...agents.map((a) => el("li", { "data-agent": a.name }, el("b", {}, a.name), el("span", { class: "status " + a.status }, a.status), a.currentTask ? el("span", { class: "dim" }, " " + a.currentTask) : null, el("div", { class: "dim" }, "last heartbeat " + ago(a.lastSeen)))));
  if (!agents.length) $("agents").append(el("li", { class: "dim" }, "nobody has joined"));
}

function renderMessages(messages) {
  const box = $("messages"); box.replaceChildren();
  for (const msg of messages) appendMessage(msg);
  if (!messages.length) box.append(el("li", { class: "dim", id: "no-messages" }, "no messages yet"));
}
function appendMessage(msg) {
  $("no-messages")?.remove();
  if (document.querySelector('[data-seq="' + msg.seq + '"]')) return;
  const box = $("messages");
  box.append(el("li", { class: "msg", "data-seq": msg.seq }, el("span", { class: "from" }, msg.from || "?"), " ", el("span", { class: "dim" }, new Date(msg.timestamp).toLocaleTimeString()), el("div", {}, withMentions(msg.content))));
  box.scrollTop = box.scrollHeight;
}

function renderInterrupts(list) {
  const ul = $("interrupts"); ul.replaceChildren();
  for (const i of list) {
    ul.append(el("li", { class: "interrupt", "data-interrupt": i.task_id },
      el("div", {}, el("b", {}, i.agent), " asks about ", el("b", {}, i.task_id), el("span", { class: "dim" }, " step " + i.step)),
      el("div", {}, i.message), el("div", { class: "action" }, i.action),
      el("button", { class: "approve", onclick: () => decide(i.task_id, "approve") }, "Approve"), " ",
      el("button", { class: "reject", onclick: () => decide(i.task_id, "reject") }, "Reject")));
  }
  if (!list.length) ul.append(el("li", { class: "dim" }, "nothing waits for you"));
}

async function decide(taskId, what) {
  const reason = what === "reject" ? prompt("Reason (the agent will see it):") ?? "" : undefined;
  const res = await fetch(base + "/api/interrupts/" + encodeURIComponent(taskId) + "/" + what, { method: "POST", headers: headers(), body: JSON.stringify({ reason }) });
  if (!res.ok) alert((await res.json()).message);
  scheduleRefresh();
}

async function refresh() {
  try {
    const data = await gql("{ status { project paused pauseReason } tasks(first: 200) { totalCount edges { node { id title priority status { status assignee } } } } agents(first: 200) { edges { node { name status currentTask lastSeen } } } }");
    renderBoard(data.tasks.edges.map((e) => e.node));
    renderAgents(data.agents.edges.map((e) => e.node));
    $("paused").textContent = data.status.paused ? "paused" + (data.status.pauseReason ? ": " + data.status.pauseReason : "") : "";
    const res = await fetch(base + "/api/overview", { headers: headers() });
    const o = await res.json();
    renderMessages(o.messages);
    renderInterrupts(o.pending_interrupts);
    $("cost").textContent = o.cost ? "$" + o.cost.total_usd.toFixed(4) + " over " + o.cost.entries + " entries" : "no cost logged";
    if (!socket) { lastSeq = o.last_seq; connect(); }
    $("error").textContent = "";
  } catch (err) { $("error").textContent = String(err.message || err); }
}
function scheduleRefresh() { clearTimeout(refreshTimer); refreshTimer = setTimeout(refresh, 80); }

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const t = token();
  const ws = new WebSocket(proto + "//" + location.host + base + "/ws?kind=dashboard&since=" + lastSeq + (t ? "&token=" + encodeURIComponent(t) : ""));
  socket = ws;
  ws.onopen = () => { backoff = 500; $("conn").className = "live"; $("conn").textContent = "live"; };
  ws.onmessage = (m) => {
    const frame = JSON.parse(m.data);
    if (frame.type !== "event") return;
    const e = frame.event; lastSeq = Math.max(lastSeq, e.seq);
    if (e.kind === "broadcast") appendMessage({ seq: e.seq, from: e.actor, content: e.body || "", timestamp: new Date(e.ts).toISOString() });
    scheduleRefresh();
  };
  // A socket replaced meanwhile (a new token) must not reconnect, or two would feed the page.
  ws.onclose = () => {
    if (socket !== ws) return;
    $("conn").className = "down"; $("conn").textContent = "reconnecting"; socket = null;
    setTimeout(() => { if (!socket) connect(); }, backoff); backoff = Math.min(backoff * 2, 10000);
  };
}

$("room").textContent = room;
$("token").value = token();
$("auth").addEventListener("submit", (ev) => {
  ev.preventDefault();
  localStorage.setItem("masc-token", $("token").value.trim());
  const old = socket; socket = null; old?.close();
  refresh();
});
refresh();
setInterval(() => { if (document.visibilityState === "visible") scheduleRefresh(); }, 30000);
`;
