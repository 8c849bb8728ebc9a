/** Shared look of the room page and the landing page; dark or light follows the system. */
export const STYLE = `
:root { color-scheme: light dark; --bg:#0f1216; --panel:#171b21; --card:#1c222a; --code:#0b0e12; --line:#2a313b; --text:#e6e9ee; --dim:#8b95a3; --accent:#6cb6ff; --ok:#56d364; --warn:#e3b341; --bad:#f85149; --mention:#3a2f0b; }
@media (prefers-color-scheme: light) {
  :root { --bg:#f6f8fa; --panel:#ffffff; --card:#f6f8fa; --code:#eef1f4; --line:#d0d7de; --text:#1f2328; --dim:#59636e; --accent:#0969da; --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --mention:#fff1c2; }
}
* { box-sizing: border-box; }
[hidden] { display:none !important; }
html, body { max-width: 100%; overflow-x: hidden; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
a { color:var(--accent); }
header { display:flex; flex-wrap:wrap; gap:8px 14px; align-items:center; padding:10px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:16px; margin:0; min-width:0; overflow-wrap:anywhere; } header .room { color:var(--accent); }
#conn { font-size:12px; color:var(--dim); } #conn.live::before { content:"● "; color:var(--ok); } #conn.down::before { content:"● "; color:var(--bad); }
header form { margin-left:auto; display:flex; gap:6px; min-width:0; } header form input { min-width:0; width:14em; }
input, button, select, textarea { font:inherit; border-radius:6px; border:1px solid var(--line); background:var(--panel); color:var(--text); padding:4px 8px; max-width:100%; }
button { cursor:pointer; } button:disabled { opacity:.5; cursor:not-allowed; }
button.approve, button.ok { border-color:var(--ok); color:var(--ok); } button.reject, button.danger { border-color:var(--bad); color:var(--bad); }
main { display:grid; grid-template-columns: minmax(0,1fr) minmax(0,360px); gap:12px; padding:12px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px; min-width:0; }
section h2 { font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 8px; display:flex; gap:8px; align-items:center; flex-wrap:wrap; }
.wide { grid-column: 1 / -1; } .side, .stack { display:flex; flex-direction:column; gap:12px; min-width:0; }
.row { display:flex; gap:6px; flex-wrap:wrap; align-items:center; } .row > input[type=text], .row > textarea { flex:1 1 12em; min-width:0; }
#board { display:grid; grid-template-columns: repeat(5, minmax(0,1fr)); gap:8px; }
.col h3 { font-size:12px; color:var(--dim); margin:0 0 6px; } .col h3 span { color:var(--text); }
.card { border:1px solid var(--line); border-radius:6px; padding:6px 8px; margin-bottom:6px; background:var(--card); cursor:pointer; overflow-wrap:anywhere; }
.card .id { font-size:11px; color:var(--dim); } .card .who { font-size:12px; color:var(--accent); } .p1 { border-left:3px solid var(--bad); } .p2 { border-left:3px solid var(--warn); }
.card .waits { font-size:12px; color:var(--warn); } tr.exceeded td { color:var(--bad); } td.gauge { width:30%; } tr.exceeded .bar > i { background:var(--bad); }
svg.chain { width:100%; height:auto; display:block; margin:6px 0; } svg.chain rect { fill:var(--card); stroke:var(--line); rx:5; }
svg.chain .finished rect { opacity:.55; } svg.chain .waiting rect { stroke:var(--warn); } svg.chain .me rect { stroke:var(--accent); stroke-width:2; } svg.chain .me text { font-weight:600; } svg.chain text { fill:var(--text); font-size:11px; } svg.chain .state { fill:var(--dim); font-size:10px; }
svg.chain path { fill:none; stroke:var(--dim); stroke-width:1.2; marker-end:url(#chain-arrow); } svg.chain g[data-chain] { cursor:pointer; }
.bar { height:6px; background:var(--line); border-radius:3px; overflow:hidden; margin-top:4px; } .bar > i { display:block; height:100%; background:var(--accent); }
ul { list-style:none; margin:0; padding:0; } li { padding:4px 0; border-bottom:1px solid var(--line); overflow-wrap:anywhere; } li:last-child { border-bottom:0; }
.status { font-size:11px; padding:1px 6px; border-radius:10px; border:1px solid var(--line); margin-left:6px; }
.status.busy { color:var(--warn); } .status.active { color:var(--ok); } .status.zombie { color:var(--bad); }
.dim { color:var(--dim); font-size:12px; } .mono { font-family:ui-monospace, monospace; font-size:12px; }
#messages { max-height:360px; overflow:auto; } .msg .from { color:var(--accent); font-weight:600; } .mention { background:var(--mention); color:var(--warn); border-radius:4px; padding:0 3px; }
button.link { border:0; background:none; color:var(--accent); padding:0 4px; font-size:12px; }
.replies { margin-left:16px; border-left:2px solid var(--line); padding-left:8px; }
.interrupt .action { font-family:ui-monospace, monospace; font-size:12px; background:var(--code); padding:4px 6px; border-radius:4px; margin:4px 0; white-space:pre-wrap; overflow-wrap:anywhere; }
.interrupt.destructive .action { border-left:3px solid var(--bad); }
table { width:100%; border-collapse:collapse; font-size:12px; } td, th { text-align:left; padding:3px 4px; border-bottom:1px solid var(--line); overflow-wrap:anywhere; } td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; }
.tally { display:grid; grid-template-columns: minmax(0,8em) minmax(0,1fr) auto; gap:4px 6px; align-items:center; font-size:12px; margin:4px 0; }
svg.chart { width:100%; height:auto; display:block; } svg.chart .axis { stroke:var(--line); } svg.chart text { fill:var(--dim); font-size:10px; }
svg.chart .area { fill:var(--accent); opacity:.25; } svg.chart .line { fill:none; stroke:var(--accent); stroke-width:1.5; } svg.chart .cost { stroke:var(--ok); }
.charts { display:grid; grid-template-columns: repeat(2, minmax(0,1fr)); gap:12px; }
#timeline li { display:grid; grid-template-columns: 6.5em 13em minmax(0,1fr); gap:6px; font-size:12px; } .kind { color:var(--warn); font-family:ui-monospace, monospace; overflow-wrap:anywhere; }
dialog { background:var(--panel); color:var(--text); border:1px solid var(--line); border-radius:10px; width:min(640px, calc(100vw - 24px)); max-height:calc(100vh - 40px); padding:14px; }
dialog::backdrop { background:rgba(0,0,0,.5); } dialog h3 { margin:0 0 8px; overflow-wrap:anywhere; } dialog pre { white-space:pre-wrap; overflow-wrap:anywhere; background:var(--code); padding:6px; border-radius:6px; margin:4px 0; }
dl { display:grid; grid-template-columns: max-content minmax(0,1fr); gap:2px 10px; margin:6px 0; font-size:13px; } dt { color:var(--dim); } dd { margin:0; overflow-wrap:anywhere; }
.rooms { display:grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap:12px; padding:12px; }
.roomcard h3 { margin:0 0 6px; overflow-wrap:anywhere; } .roomcard .counts { display:flex; flex-wrap:wrap; gap:4px 12px; font-size:13px; }
#toast { position:fixed; bottom:12px; left:50%; transform:translateX(-50%); background:var(--panel); border:1px solid var(--bad); color:var(--text); padding:6px 12px; border-radius:8px; max-width:calc(100vw - 24px); display:none; } #toast.show { display:block; }
@media (max-width: 900px) {
  main { grid-template-columns: minmax(0,1fr); padding:8px; gap:8px; }
  #board { grid-template-columns: minmax(0,1fr); } .charts { grid-template-columns: minmax(0,1fr); }
  header form { margin-left:0; width:100%; } header form input { flex:1; width:auto; }
  #timeline li { grid-template-columns: 6.5em minmax(0,1fr); } #timeline li .summary { grid-column: 1 / -1; }
  .stack, .side { display:contents; }
  #p-approvals { order:1; } #p-board { order:2; } #p-messages { order:3; } #p-agents { order:4; } #p-locks { order:5; } #p-votes { order:6; }
  #p-cost { order:7; } #p-charts { order:8; } #p-timeline { order:9; } #admin { order:10; }
}
`;
