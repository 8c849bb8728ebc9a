/** Page helpers: the room from the URL, the token, building elements from text, calling the API. */
export const SCRIPT_BASE = `
"use strict";
const m = location.pathname.match(/^\\/r\\/([^/]+)/);
const room = m ? decodeURIComponent(m[1]) : "default";
const base = "/r/" + encodeURIComponent(room);
const STATES = ["todo", "claimed", "in_progress", "done", "cancelled"];
const state = { me: null, progress: {}, tasks: [], agents: [], locks: [], lastSeq: 0 };
const $ = (id) => document.getElementById(id);
const token = () => localStorage.getItem("masc-token") || "";
const headers = () => { const h = { "content-type": "application/json" }; if (token()) h.authorization = "Bearer " + token(); return h; };

/** Elements from text only: children become text nodes, so nothing a room holds is parsed as HTML. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
const ago = (iso) => { const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); return s < 60 ? s + "s ago" : s < 3600 ? Math.round(s / 60) + "m ago" : s < 86400 ? Math.round(s / 3600) + "h ago" : Math.round(s / 86400) + "d ago"; };
const usd = (x) => "$" + Number(x || 0).toFixed(4);
function toast(text) { const t = $("toast"); t.textContent = text; t.className = "show"; clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.className = ""; }, 6000); }

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
async function api(path) {
  const res = await fetch(base + "/api/" + path, { headers: headers() });
  if (res.status === 401) throw new Error("unauthorized: enter a token");
  if (!res.ok) throw new Error((await res.json()).message || res.statusText);
  return res.json();
}
/** One room change through the MCP tool of the same name; the room answers as the tool would. */
async function act(tool, args, extra) {
  const res = await fetch(base + "/api/act", { method: "POST", headers: headers(), body: JSON.stringify({ tool, args, as: localStorage.getItem("masc-as") || undefined, ...(extra || {}) }) });
  const body = await res.json().catch(() => ({ message: res.statusText }));
  if (!res.ok) { toast(body.message || body.error || "failed"); scheduleRefresh(); return null; }
  scheduleRefresh();
  return body.result;
}
/**
 * Whether a panel's data changed since it was last drawn (or a minute passed, for the "ago" texts).
 * Redrawing only then keeps buttons and inputs in place while someone is using them.
 */
const drawn = new Map();
function changed(key, data) {
  const sig = Math.floor(Date.now() / 60000) + JSON.stringify(data);
  if (drawn.get(key) === sig) return false;
  drawn.set(key, sig); return true;
}
const can = (tool) => Boolean(state.me && state.me.can.act.includes(tool));
`;
