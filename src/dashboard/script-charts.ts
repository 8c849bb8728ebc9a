/** Charts drawn as SVG elements (no canvas, no library): events per minute and cumulative cost. */
export const SCRIPT_CHARTS = `
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
/** values over time from \`from\` in steps of \`stepMs\`; an area for counts, a line for running totals. */
function chart(values, from, stepMs, opts) {
  const W = 320, H = 120, L = 34, B = 18, T = 8, R = 6;
  const max = Math.max(opts.minMax || 1, ...values);
  const x = (i) => L + (values.length <= 1 ? 0 : (i / (values.length - 1)) * (W - L - R));
  const y = (v) => T + (1 - v / max) * (H - T - B);
  const pts = values.map((v, i) => x(i).toFixed(1) + "," + y(v).toFixed(1)).join(" ");
  const g = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": opts.label, "data-points": values.length, "data-max": max });
  g.append(svg("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }), svg("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
  g.append(svg("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, opts.fmt(max)), svg("text", { x: L - 4, y: H - B, "text-anchor": "end" }, opts.fmt(0)));
  const t0 = from, t1 = opts.to;
  const hm = (d) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  g.append(svg("text", { x: L, y: H - 4 }, hm(t0)), svg("text", { x: W - R, y: H - 4, "text-anchor": "end" }, hm(t1)));
  if (opts.area) g.append(svg("polygon", { class: "area", points: L + "," + (H - B) + " " + pts + " " + x(values.length - 1) + "," + (H - B) }));
  g.append(svg("polyline", { class: "line" + (opts.cls ? " " + opts.cls : ""), points: pts }));
  g.append(svg("title", {}, opts.label + ": max " + opts.fmt(max)));
  return g;
}
let chartsAt = 0;
async function refreshCharts(force) {
  if (!force && Date.now() - chartsAt < 10000) return;
  chartsAt = Date.now();
  const c = await api("charts?hours=" + $("hours").value);
  const from = new Date(c.from);
  $("chart-events").replaceChildren(chart(c.events_per_minute.values, from, c.events_per_minute.bucket_ms, { label: "events per minute", to: new Date(c.to), area: true, fmt: (v) => String(Math.round(v)) }));
  $("chart-cost").replaceChildren(chart(c.cost.cumulative, from, c.cost.bucket_ms, { label: "cumulative cost in USD", to: new Date(c.to), cls: "cost", minMax: 0.01, fmt: (v) => "$" + (v < 10 ? v.toFixed(2) : Math.round(v)) }));
}
`;
