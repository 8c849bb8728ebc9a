export const STYLE = `
:root { --bg:#0f1216; --panel:#171b21; --line:#262c35; --text:#e6e9ee; --dim:#8b95a3; --accent:#6cb6ff; --ok:#56d364; --warn:#e3b341; --bad:#f85149; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
header { display:flex; gap:16px; align-items:center; padding:10px 16px; border-bottom:1px solid var(--line); }
header h1 { font-size:16px; margin:0; } header .room { color:var(--accent); }
#conn { font-size:12px; color:var(--dim); } #conn.live::before { content:"● "; color:var(--ok); } #conn.down::before { content:"● "; color:var(--bad); }
header form { margin-left:auto; display:flex; gap:6px; } input, button { font:inherit; border-radius:6px; border:1px solid var(--line); background:var(--panel); color:var(--text); padding:4px 8px; }
button { cursor:pointer; } button.approve { border-color:var(--ok); color:var(--ok); } button.reject { border-color:var(--bad); color:var(--bad); }
main { display:grid; grid-template-columns: 1fr 340px; gap:12px; padding:12px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px; min-width:0; }
section h2 { font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 8px; }
#board { display:grid; grid-template-columns: repeat(5, minmax(0,1fr)); gap:8px; }
.col h3 { font-size:12px; color:var(--dim); margin:0 0 6px; } .col h3 span { color:var(--text); }
.card { border:1px solid var(--line); border-radius:6px; padding:6px 8px; margin-bottom:6px; background:#1c222a; }
.card .id { font-size:11px; color:var(--dim); } .card .who { font-size:12px; color:var(--accent); } .p1 { border-left:3px solid var(--bad); } .p2 { border-left:3px solid var(--warn); }
.side { display:flex; flex-direction:column; gap:12px; }
ul { list-style:none; margin:0; padding:0; } li { padding:4px 0; border-bottom:1px solid var(--line); } li:last-child { border-bottom:0; }
.status { font-size:11px; padding:1px 6px; border-radius:10px; border:1px solid var(--line); margin-left:6px; }
.status.busy { color:var(--warn); } .status.active { color:var(--ok); } .status.zombie { color:var(--bad); }
.dim { color:var(--dim); font-size:12px; }
#messages { max-height:360px; overflow:auto; } .msg .from { color:var(--accent); font-weight:600; } .mention { background:#3a2f0b; color:var(--warn); border-radius:4px; padding:0 3px; }
.msg.to-me { background:#1f2a1a; }
.interrupt .action { font-family:ui-monospace, monospace; font-size:12px; background:#0b0e12; padding:4px 6px; border-radius:4px; margin:4px 0; white-space:pre-wrap; }
.wide { grid-column: 1 / -1; }
`;
