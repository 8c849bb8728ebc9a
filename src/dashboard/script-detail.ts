/** The task dialog: everything about one task, and what a lead may do to it. */
export const SCRIPT_DETAIL = `
let openTaskId = null;
const dur = (s) => s < 60 ? s + " s" : s < 3600 ? Math.round(s / 60) + " min" : s < 86400 ? (s / 3600).toFixed(1) + " h" : (s / 86400).toFixed(1) + " days";

/** Shows a task; \`refresh\` only redraws it if its dialog is still open on it (never reopens it). */
async function openTask(id, refresh) {
  const showing = () => $("task-dialog").open && openTaskId === id;
  if (refresh && !showing()) return;
  openTaskId = id;
  try {
    const d = await api("tasks/" + encodeURIComponent(id));
    if (refresh && !showing()) return;
    // The same task unchanged keeps its dialog as it is: a reason being typed stays.
    if (changed("task", [id, d.task, d.history, d.cost, d.chain])) renderTask(d);
  } catch (err) { toast(String(err.message || err)); return; }
  if (!refresh && !$("task-dialog").open) $("task-dialog").showModal();
}

function renderTask(d) {
  const t = d.task; const box = $("task-detail");
  const row = (k, v) => v === null || v === undefined || v === "" ? [] : [el("dt", {}, k), el("dd", { "data-field": k }, v)];
  const wt = t.worktree || {};
  box.replaceChildren(el("div", {},
    el("h3", {}, t.id + " · " + t.title),
    el("dl", {},
      row("status", t.status + (t.assignee ? " (" + t.assignee + ")" : "")), row("priority", "P" + t.priority), row("age", dur(d.age_s) + " (created " + new Date(t.created_at).toLocaleString() + ")"),
      row("branch", wt.branch), row("worktree", wt.path), row("cancelled by", t.cancelled_by), row("reason", t.reason), row("notes", t.notes),
      row("cost", d.cost.entries ? usd(d.cost.total_usd) + " over " + d.cost.entries + " entries" : null),
      row("waits for", t.blocked_by.length ? t.blocked_by.join(", ") : null), row("blocking", t.blocking.length ? t.blocking.join(", ") : null)),
    t.description ? el("pre", { "data-field": "description" }, t.description) : null,
    progressBar(t.id),
    d.chain.links.length ? el("h4", {}, "Dependency chain") : null,
    chainGraph(d.chain, t.id),
    taskActions(t),
    el("h4", {}, "History"),
    el("ul", { id: "task-history" }, d.history.map((h) => el("li", {}, el("span", { class: "dim" }, new Date(h.ts).toLocaleString() + " "), el("b", {}, h.actor || "room"), " " + h.action + " " + (h.from_state || "·") + " → " + h.to_state, h.detail ? el("div", { class: "dim" }, h.detail) : null)))));
}

function taskActions(t) {
  const finished = t.status === "done" || t.status === "cancelled";
  const out = el("div", { class: "stack" });
  if (can("masc_update_priority")) {
    const sel = el("select", { id: "task-priority", "aria-label": "priority" }, [1, 2, 3, 4, 5].map((p) => el("option", { value: String(p), selected: p === t.priority }, "P" + p)));
    out.append(el("div", { class: "row" }, el("span", { class: "dim" }, "priority"), sel, el("button", { id: "task-priority-go", onclick: async () => { if (await act("masc_update_priority", { task_id: t.id, priority: Number(sel.value) })) openTask(t.id, true); } }, "Change")));
  }
  const mine = t.assignee === (state.me && state.me.acts_as);
  if (!finished && can("masc_cancel_task") && (t.status === "todo" || mine || state.me.can.force)) {
    const reason = el("input", { type: "text", id: "task-cancel-reason", placeholder: "reason", maxlength: "1000" });
    out.append(el("div", { class: "row" }, reason, el("button", { class: "danger", id: "task-cancel-go", onclick: async () => {
      if (await act("masc_cancel_task", { task_id: t.id, reason: reason.value || undefined, force: t.status !== "todo" && !mine ? true : undefined })) openTask(t.id, true);
    } }, "Cancel task")));
  }
  return out;
}
`;
