/** The page's life: state from GraphQL and /api, live updates over the room WebSocket, the forms. */
export const SCRIPT = `
let socket = null, backoff = 500, refreshTimer = null, expiryTimer = null;

async function loadMe() {
  const as = localStorage.getItem("masc-as") || "";
  state.me = await api("whoami" + (as ? "?as=" + encodeURIComponent(as) : ""));
  $("whoami").textContent = "acting as " + state.me.acts_as + " (" + state.me.role + ")";
  $("as").hidden = !state.me.chooses_name;
  if (state.me.chooses_name && document.activeElement !== $("as")) $("as").value = state.me.acts_as;
  for (const f of document.querySelectorAll("form.act")) f.hidden = !state.me.can.act.length;
  $("admin").hidden = !state.me.can.decide;
}

/** Every room the credential may see, for the switcher; this room is always in it. */
async function loadRooms() {
  let names = [room];
  try {
    const res = await fetch("/api/rooms?room=" + encodeURIComponent(room), { headers: headers() });
    if (res.ok) names = [...new Set([room, ...(await res.json()).rooms.map((r) => r.name)])].sort();
  } catch {}
  $("switcher").replaceChildren(...names.map((n) => el("option", { value: n, selected: n === room }, n)), el("option", { value: "" }, "all rooms…"));
}

async function refresh() {
  try {
    if (!state.me) await loadMe();
    const data = await gql("{ status { project paused pauseReason } tasks(first: 200) { totalCount edges { node { id title priority createdAt status { status assignee } worktree { branch path } blocked blockedBy } } } agents(first: 200) { edges { node { name status currentTask lastSeen } } } }");
    const o = await api("overview");
    state.progress = o.progress; state.tasks = data.tasks.edges.map((e) => e.node); state.agents = data.agents.edges.map((e) => e.node); state.locks = o.locks;
    if (changed("board", [state.tasks, o.progress])) renderBoard(state.tasks);
    if (changed("agents", state.agents)) renderAgents(state.agents);
    $("paused").textContent = data.status.paused ? "paused" + (data.status.pauseReason ? ": " + data.status.pauseReason : "") : "";
    if (changed("messages", o.messages)) renderMessages(o.messages);
    if (changed("interrupts", [o.pending_interrupts, o.permission_requests])) renderInterrupts(o.pending_interrupts, o.permission_requests);
    redrawAtExpiry(o);
    if (changed("locks", o.locks)) renderLocks(o.locks);
    if (changed("votes", o.votes)) renderVotes(o.votes);
    if (changed("cost", [o.cost, o.budgets])) renderCost(o.cost, o.budgets);
    await refreshTimeline(false);
    await refreshCharts(false);
    if (openTaskId) openTask(openTaskId, true);
    if (!socket) { state.lastSeq = o.last_seq; connect(); }
    $("error").textContent = "";
  } catch (err) { $("error").textContent = String(err.message || err); }
}
/** No event announces an expiry: the page redraws itself when the next open prompt runs out. */
function redrawAtExpiry(o) {
  clearTimeout(expiryTimer);
  const left = o.permission_requests.filter((r) => r.state === "pending").map((r) => Date.parse(r.expires_at) - Date.parse(o.now));
  if (left.length) expiryTimer = setTimeout(scheduleRefresh, Math.max(0, Math.min(...left)) + 50);
}
function scheduleRefresh() { clearTimeout(refreshTimer); refreshTimer = setTimeout(refresh, 80); }

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const t = token();
  const ws = new WebSocket(proto + "//" + location.host + base + "/ws?kind=dashboard&since=" + state.lastSeq + (t ? "&token=" + encodeURIComponent(t) : ""));
  socket = ws;
  ws.onopen = () => { backoff = 500; $("conn").className = "live"; $("conn").textContent = "live"; };
  ws.onmessage = (m) => {
    const frame = JSON.parse(m.data);
    if (frame.type === "changed") return scheduleRefresh();
    if (frame.type !== "event") return;
    const e = frame.event; state.lastSeq = Math.max(state.lastSeq, e.seq); tlKinds.add(e.kind);
    if (e.kind === "broadcast") appendMessage({ seq: e.seq, from: e.actor, content: e.body || "", reply_to: e.data && e.data.reply_to, timestamp: new Date(e.ts).toISOString() });
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
document.title = "masc · " + room;
$("token").value = token();
$("auth").addEventListener("submit", (ev) => {
  ev.preventDefault();
  localStorage.setItem("masc-token", $("token").value.trim());
  const old = socket; socket = null; old?.close();
  state.me = null; drawn.clear(); loadRooms(); refresh();
});
/** The name a person acts under when no token names them; kept for the next visit. */
$("as").addEventListener("change", () => {
  const name = $("as").value.trim();
  if (name && !/^[A-Za-z0-9_-]{1,64}$/.test(name)) { toast("a name is 1-64 letters, digits, '-' or '_'"); return; }
  if (name) localStorage.setItem("masc-as", name); else localStorage.removeItem("masc-as");
  state.me = null; drawn.clear(); refresh();
});
$("switcher").addEventListener("change", () => { location.href = $("switcher").value ? "/r/" + encodeURIComponent($("switcher").value) + "/" : "/"; });
$("add-task").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const ok = await act("masc_add_task", { title: $("new-title").value, priority: Number($("new-priority").value), description: $("new-description").value || undefined });
  if (ok) { $("new-title").value = ""; $("new-description").value = ""; }
});
$("send").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (await act("masc_broadcast", { message: $("message").value, reply_to: replyTo ?? undefined })) { $("message").value = ""; setReply(null); }
});
$("reply-cancel").addEventListener("click", () => setReply(null));
$("confirm-input").addEventListener("input", () => { $("confirm-go").disabled = $("confirm-input").value.trim() !== (confirming && confirming.id); });
$("confirm-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!confirming || $("confirm-input").value.trim() !== confirming.id) return;
  await act("masc_approve", confirming.args, { confirm: $("confirm-input").value.trim() });
  confirming = null; $("confirm-dialog").close();
});
$("confirm-cancel").addEventListener("click", () => { confirming = null; $("confirm-dialog").close(); });
$("reject-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (rejecting) await act("masc_reject", { ...rejecting.args, reason: $("reject-reason").value || undefined });
  rejecting = null; $("reject-dialog").close();
});
$("reject-cancel").addEventListener("click", () => { rejecting = null; $("reject-dialog").close(); });
$("task-dialog").addEventListener("close", () => { openTaskId = null; drawn.delete("task"); });
$("hours").addEventListener("change", () => refreshCharts(true));
$("tl-agent").addEventListener("change", () => refreshTimeline(true));
$("tl-kind").addEventListener("change", () => refreshTimeline(true));
$("tl-older").addEventListener("click", () => olderTimeline());
loadRooms();
refresh();
setInterval(() => { if (document.visibilityState === "visible") scheduleRefresh(); }, 30000);
`;
