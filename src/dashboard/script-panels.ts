/** The page's panels: each renders one part of the room from data, as text. */
export const SCRIPT_PANELS = `
function progressBar(taskId) {
  const p = state.progress[taskId];
  if (!p) return null;
  const pct = p.total ? Math.min(100, Math.round((p.progress / p.total) * 100)) : Math.min(100, Math.round(p.progress));
  return el("div", { class: "progress", "data-progress": taskId, title: (p.message || "") + " (" + pct + "%)" },
    el("div", { class: "bar" }, el("i", { style: "width:" + pct + "%" })), el("div", { class: "dim" }, pct + "%" + (p.message ? " · " + p.message : "")));
}

/** The blockers of a task still open on the board (one archived away is finished). */
function waitingFor(t, tasks) {
  const open = new Set(tasks.filter((x) => x.status.status !== "done" && x.status.status !== "cancelled").map((x) => x.id));
  return t.blockedBy.filter((id) => open.has(id));
}

function renderBoard(tasks) {
  const board = $("board"); board.replaceChildren();
  $("board-count").textContent = tasks.length + " tasks";
  for (const s of STATES) {
    const mine = tasks.filter((t) => t.status.status === s);
    const col = el("div", { class: "col", "data-state": s }, el("h3", {}, s.replace("_", " ") + " ", el("span", {}, mine.length)));
    for (const t of mine) col.append(el("div", { class: "card p" + t.priority, "data-task": t.id, tabindex: "0", onclick: () => openTask(t.id), onkeydown: (e) => { if (e.key === "Enter") openTask(t.id); } },
      el("div", { class: "id" }, t.id + " · P" + t.priority + " · " + ago(t.createdAt)), el("div", {}, t.title),
      t.status.assignee ? el("div", { class: "who" }, t.status.assignee) : null,
      t.worktree && t.worktree.branch ? el("div", { class: "dim mono" }, "⎇ " + t.worktree.branch) : null,
      t.blocked ? el("div", { class: "waits", "data-waits": t.id }, "blocked: waits for " + waitingFor(t, tasks).join(", ")) : null,
      progressBar(t.id)));
    board.append(col);
  }
}

function renderAgents(agents) {
  $("agents").replaceChildren(...agents.map((a) => el("li", { "data-agent": a.name }, el("b", {}, a.name), el("span", { class: "status " + a.status }, a.status), a.currentTask ? el("span", { class: "dim" }, " " + a.currentTask) : null, el("div", { class: "dim" }, "last heartbeat " + ago(a.lastSeen)))));
  if (!agents.length) $("agents").append(el("li", { class: "dim" }, "nobody has joined"));
}

let replyTo = null;
function setReply(msg) {
  replyTo = msg ? msg.seq : null;
  $("replying").hidden = !msg;
  $("replying-to").textContent = msg ? "replying to " + (msg.from || "?") + ": " + msg.content.slice(0, 60) : "";
  if (msg) $("message").focus();
}
function messageItem(msg) {
  return el("li", { class: "msg", "data-seq": msg.seq }, el("span", { class: "from" }, msg.from || "?"), " ", el("span", { class: "dim" }, new Date(msg.timestamp).toLocaleTimeString()), " ",
    can("masc_broadcast") ? el("button", { class: "link reply", onclick: () => setReply(msg) }, "reply") : null,
    el("div", {}, withMentions(msg.content)), el("ul", { class: "replies" }));
}
function renderMessages(messages) {
  const box = $("messages"); const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren();
  for (const msg of messages) appendMessage(msg);
  if (!messages.length) box.append(el("li", { class: "dim", id: "no-messages" }, "no messages yet"));
  if (atBottom) box.scrollTop = box.scrollHeight;
}
/** A reply (reply_to) goes under its message when that message is on the page. */
function appendMessage(msg) {
  $("no-messages")?.remove();
  if (document.querySelector('#messages [data-seq="' + msg.seq + '"]')) return;
  const parent = msg.reply_to ? document.querySelector('#messages [data-seq="' + msg.reply_to + '"] > .replies') : null;
  (parent || $("messages")).append(messageItem(msg));
}

/** Interrupts and relayed permission prompts; each decision is { id to type back, args of the tool }. */
function renderInterrupts(list, requests) {
  const ul = $("interrupts"); ul.replaceChildren();
  const decide = state.me && state.me.can.decide;
  const buttons = (d) => el("div", { class: "row" },
    el("button", { class: "approve", onclick: () => approve(d) }, "Approve"),
    el("button", { class: "reject", onclick: () => rejectAsk(d) }, "Reject"));
  for (const i of list) {
    const d = { id: i.task_id, args: { task_id: i.task_id }, destructive: i.destructive, title: i.agent + " asks to run, for " + i.task_id + ":", action: i.action };
    ul.append(el("li", { class: "interrupt" + (i.destructive ? " destructive" : ""), "data-interrupt": i.task_id },
      el("div", {}, el("b", {}, i.agent), " asks about ", el("b", {}, i.task_id), el("span", { class: "dim" }, " step " + i.step + " · " + ago(i.created_at))),
      el("div", {}, i.message), el("div", { class: "action" }, i.action),
      i.destructive ? el("div", { class: "dim" }, "destructive: approving asks for the task id") : null,
      decide ? buttons(d) : null));
  }
  for (const r of requests || []) {
    const open = r.state === "pending";
    const d = { id: r.request_id, args: { request_id: r.request_id }, destructive: r.destructive, title: r.agent + " asks to use " + r.tool_name + " (request " + r.request_id + "):", action: r.input_preview };
    ul.append(el("li", { class: "interrupt permission" + (r.destructive ? " destructive" : "") + (open ? "" : " dim"), "data-request": r.request_id },
      el("div", {}, el("b", {}, r.agent), " asks to use ", el("b", {}, r.tool_name), el("span", { class: "dim" }, " · request " + r.request_id + " · " + (open ? ago(r.created_at) : r.state))),
      el("div", {}, r.description), el("div", { class: "action" }, r.input_preview),
      open && r.destructive ? el("div", { class: "dim" }, "destructive: allowing asks for the request id") : null,
      decide && open ? buttons(d) : null));
  }
  if (!list.length && !(requests || []).length) ul.append(el("li", { class: "dim" }, "nothing waits for you"));
}
let confirming = null, rejecting = null;
function approve(d) {
  if (!d.destructive) return act("masc_approve", d.args);
  confirming = d;
  $("confirm-title").textContent = d.title;
  $("confirm-action").textContent = d.action;
  $("confirm-id").textContent = d.id;
  $("confirm-input").value = ""; $("confirm-go").disabled = true;
  $("confirm-dialog").showModal(); $("confirm-input").focus();
}
function rejectAsk(d) {
  rejecting = d; $("reject-title").textContent = "Reject " + d.id + ": " + d.action; $("reject-reason").value = "";
  $("reject-dialog").showModal(); $("reject-reason").focus();
}

function renderLocks(locks) {
  const ul = $("locks"); ul.replaceChildren();
  const me = state.me && state.me.acts_as;
  for (const l of locks) {
    const mine = l.holder === me;
    const free = can("masc_unlock") && (mine || state.me.can.force);
    ul.append(el("li", { "data-lock": l.file },
      el("div", { class: "mono" }, l.file + (l.kind && l.kind !== "file" ? " (" + l.kind + " lease)" : "")),
      el("div", { class: "dim" }, el("b", {}, l.holder), " since " + ago(l.acquired_at) + " · token " + l.token + " · expires in " + Math.ceil(l.expires_in_s / 60) + " min"),
      free ? el("button", { class: "danger", onclick: () => act("masc_unlock", { file: l.file, force: mine ? undefined : true }) }, mine ? "Release" : "Release (" + l.holder + "'s)") : null));
  }
  if (!locks.length) ul.append(el("li", { class: "dim" }, "no file is locked"));
}

function renderVotes(votes) {
  const ul = $("votes"); ul.replaceChildren();
  const me = state.me && state.me.acts_as;
  for (const v of votes) {
    const total = Object.values(v.tally).reduce((a, b) => a + b, 0);
    const open = v.status === "open";
    const li = el("li", { "data-vote": v.vote_id },
      el("div", {}, el("b", {}, v.topic)),
      el("div", { class: "dim" }, v.vote_id + " · " + v.status + (v.winner ? " → " + v.winner : "") + " · " + total + "/" + v.required_votes + " votes" + (v.deadline ? " · deadline " + new Date(v.deadline).toLocaleString() + (open ? " (" + (Date.parse(v.deadline) > Date.now() ? "in " + Math.round((Date.parse(v.deadline) - Date.now()) / 60000) + " min" : "passed") + ")" : "") : " · no deadline")));
    for (const o of v.options) {
      const n = v.tally[o] || 0; const pct = total ? Math.round((n / total) * 100) : 0;
      li.append(el("div", { class: "tally", "data-option": o }, el("span", {}, o), el("div", { class: "bar" }, el("i", { style: "width:" + pct + "%" })), el("span", { class: "n" }, String(n))));
    }
    if (open && can("masc_vote_cast")) li.append(el("div", { class: "row" }, el("span", { class: "dim" }, v.voters.includes(me) ? "change your vote:" : "vote:"), ...v.options.map((o) => el("button", { class: "vote", "data-choice": o, onclick: () => act("masc_vote_cast", { vote_id: v.vote_id, choice: o }) }, o))));
    ul.append(li);
  }
  if (!votes.length) ul.append(el("li", { class: "dim" }, "no votes"));
}

function costTable(rows, key, label) {
  if (!rows.length) return [];
  return [el("tr", {}, el("th", {}, label), el("th", { class: "n" }, "USD"), el("th", { class: "n" }, "tokens in/out")),
    ...rows.map((r) => el("tr", { "data-cost": r[key] || "none" }, el("td", {}, r[key] || "(no task)"), el("td", { class: "n" }, usd(r.cost_usd)), el("td", { class: "n" }, r.input_tokens + " / " + r.output_tokens)))];
}
/** Each cap with its spend as a bar; a reached cap is drawn red. */
function budgetRows(budgets) {
  if (!budgets.length) return [];
  return [el("tr", {}, el("th", {}, "cap"), el("th", { class: "n" }, "spent / cap"), el("th", {}, "")),
    ...budgets.map((b) => el("tr", { "data-budget": (b.agent || "room") + ":" + b.period, class: b.exceeded ? "exceeded" : null },
      el("td", {}, (b.agent || "room") + " · " + (b.period === "day" ? "today" : "total")),
      el("td", { class: "n" }, usd(b.spend_usd) + " / " + usd(b.limit_usd)),
      el("td", { class: "gauge" }, el("div", { class: "bar" }, el("i", { style: "width:" + (b.limit_usd > 0 ? Math.min(100, Math.round((b.spend_usd / b.limit_usd) * 100)) : 100) + "%" })))))];
}
function renderCost(cost, budgets) {
  $("cost").textContent = cost.entries ? usd(cost.total_usd) + " over " + cost.entries + " entries" : "no cost logged";
  $("cost-budgets").replaceChildren(...budgetRows(budgets || []));
  $("cost-agents").replaceChildren(...costTable(cost.by_agent, "agent", "agent"));
  $("cost-tasks").replaceChildren(...costTable(cost.by_task, "task_id", "task"));
}
`;
