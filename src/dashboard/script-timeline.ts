/** The room's event log, newest first, filtered by agent and kind, paged back by seq. */
export const SCRIPT_TIMELINE = `
let tlBefore = null, tlPaged = false;
const SUMMARY_KEYS = ["task_id", "file", "vote_id", "choice", "priority", "to", "step", "cost_usd", "mentions", "forced_holder", "topic", "reason", "reply_to"];
function summary(e) {
  const bits = [];
  if (e.target) bits.push("→ " + e.target);
  for (const k of SUMMARY_KEYS) if (e.data[k] !== undefined && e.data[k] !== null && !(Array.isArray(e.data[k]) && !e.data[k].length)) bits.push(k + "=" + (Array.isArray(e.data[k]) ? e.data[k].join(",") : e.data[k]));
  if (e.body) bits.push("“" + e.body + "”");
  return bits.join(" ");
}
function timelineItem(e) {
  return el("li", { "data-event": e.seq, "data-kind": e.kind },
    el("span", { class: "dim" }, new Date(e.ts).toLocaleTimeString()),
    el("span", {}, el("span", { class: "kind" }, e.kind), " ", el("b", {}, e.actor || "room")),
    el("span", { class: "summary" }, summary(e)));
}
const tlKinds = new Set();
let tlKindsLoaded = false;
function tlQuery(before) {
  const q = new URLSearchParams({ limit: "30" });
  if (!tlKindsLoaded) q.set("kinds", "1");
  if (before) q.set("before", String(before));
  if ($("tl-agent").value) q.set("agent", $("tl-agent").value);
  if ($("tl-kind").value) q.set("kind", $("tl-kind").value);
  return "timeline?" + q;
}
function fillSelect(sel, values) {
  if (!changed("select-" + sel.id, values)) return;
  const keep = sel.value; const first = sel.options[0];
  sel.replaceChildren(first, ...values.map((v) => el("option", { value: v }, v)));
  if (keep && !values.includes(keep)) sel.append(el("option", { value: keep }, keep));
  sel.value = keep;
}
/** The first page again (unless the person paged back: then what they read stays put). */
async function refreshTimeline(force) {
  if (tlPaged && !force) return;
  const t = await api(tlQuery(null));
  const wasPaged = tlPaged;
  tlPaged = false; tlBefore = t.next_before;
  if (changed("timeline", t.events) || wasPaged) {
    $("timeline").replaceChildren(...t.events.map(timelineItem));
    if (!t.events.length) $("timeline").append(el("li", { class: "dim" }, "nothing yet"));
  }
  $("tl-older").hidden = tlBefore === null;
  if (t.kinds) { tlKindsLoaded = true; for (const k of t.kinds) tlKinds.add(k); }
  for (const e of t.events) tlKinds.add(e.kind);
  fillSelect($("tl-kind"), [...tlKinds].sort());
  fillSelect($("tl-agent"), state.agents.map((a) => a.name));
}
async function olderTimeline() {
  if (tlBefore === null) return;
  const t = await api(tlQuery(tlBefore));
  tlPaged = true; tlBefore = t.next_before;
  $("timeline").append(...t.events.map(timelineItem));
  $("tl-older").hidden = tlBefore === null;
}
`;
