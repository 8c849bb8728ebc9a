/**
 * A task's dependency chain drawn as SVG: what it waits for on the left, what waits on it on the
 * right, one column per step, an arrow from each blocker to the task waiting for it.
 */
export const SCRIPT_CHAIN = `
function chainGraph(chain, selected) {
  if (!chain.links.length) return null;
  const blockers = new Map(chain.tasks.map((t) => [t.id, []]));
  for (const l of chain.links) blockers.get(l.task_id)?.push(l.blocker_id);
  // Column = the longest run of blockers before the task, so every arrow points right.
  const col = new Map();
  const depth = (id, seen) => {
    if (col.has(id)) return col.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    const d = Math.max(-1, ...(blockers.get(id) || []).map((b) => depth(b, seen))) + 1;
    col.set(id, d); return d;
  };
  for (const t of chain.tasks) depth(t.id, new Set());
  const rows = new Map(); const at = new Map();
  for (const t of chain.tasks) { const c = col.get(t.id); const r = rows.get(c) || 0; rows.set(c, r + 1); at.set(t.id, [c, r]); }
  const W = 170, H = 40, GX = 40, GY = 12;
  const cols = Math.max(...col.values()) + 1, maxRows = Math.max(...rows.values());
  const width = cols * W + (cols - 1) * GX + 4, height = maxRows * H + (maxRows - 1) * GY + 4;
  const g = svg("svg", { class: "chain", id: "task-chain", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "dependency chain of " + selected });
  g.append(svg("defs", {}, svg("marker", { id: "chain-arrow", viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto" }, svg("path", { d: "M0,0 L8,4 L0,8 z", style: "stroke:none;fill:currentColor" }))));
  const pos = (id) => { const [c, r] = at.get(id); return [2 + c * (W + GX), 2 + r * (H + GY)]; };
  for (const l of chain.links) {
    const [bx, by] = pos(l.blocker_id), [tx, ty] = pos(l.task_id);
    g.append(svg("path", { "data-link": l.task_id + "<" + l.blocker_id, d: "M" + (bx + W) + "," + (by + H / 2) + " C" + (bx + W + GX / 2) + "," + (by + H / 2) + " " + (tx - GX / 2) + "," + (ty + H / 2) + " " + tx + "," + (ty + H / 2) }));
  }
  for (const t of chain.tasks) {
    const [x, y] = pos(t.id);
    const finished = t.state === "done" || t.state === "cancelled";
    const cls = [t.id === selected ? "me" : "", finished ? "finished" : "", t.open_blockers > 0 && !finished ? "waiting" : ""].filter(Boolean).join(" ");
    const title = t.title.length > 16 ? t.title.slice(0, 15) + "…" : t.title;
    const node = svg("g", { class: cls, "data-chain": t.id, tabindex: "0" },
      svg("rect", { x, y, width: W, height: H }),
      svg("text", { x: x + 6, y: y + 15 }, t.id + " · " + title),
      svg("text", { class: "state", x: x + 6, y: y + 31 }, t.state.replace("_", " ") + (t.assignee ? " · " + t.assignee : "") + (t.open_blockers > 0 && !finished ? " · waits" : "")),
      svg("title", {}, t.id + ": " + t.title));
    if (t.id !== selected) node.addEventListener("click", () => openTask(t.id));
    g.append(node);
  }
  return g;
}
`;
