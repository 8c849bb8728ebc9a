import { INVITE_HTML, INVITE_SCRIPT } from "./invite";
import { SCRIPT } from "./script";
import { SCRIPT_BASE } from "./script-base";
import { SCRIPT_CHAIN } from "./script-chain";
import { SCRIPT_CHARTS } from "./script-charts";
import { SCRIPT_DETAIL } from "./script-detail";
import { SCRIPT_PANELS } from "./script-panels";
import { SCRIPT_TIMELINE } from "./script-timeline";
import { STYLE } from "./style";

/** The room page: no framework; every value is set as text (textContent), never as HTML. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>masc room</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><a href="/" title="all rooms">masc</a> · <span class="room" id="room"></span></h1>
  <select id="switcher" aria-label="switch room"></select>
  <span id="conn" class="down">connecting</span>
  <span id="paused" class="dim"></span>
  <span id="whoami" class="dim"></span>
  <input id="as" type="text" placeholder="your name" aria-label="act as" maxlength="64" size="8" hidden>
  <a class="dim" id="graphiql-link" href="graphql">GraphiQL</a>
  <span id="error" class="dim"></span>
  <form id="auth"><input id="token" type="password" placeholder="token (if the room has auth)" autocomplete="off"><button>Use</button></form>
</header>
<main>
  <section class="wide" id="p-board"><h2>Task board <span class="dim" id="board-count"></span></h2>
    <form id="add-task" class="row act" hidden>
      <input type="text" id="new-title" placeholder="new task title" maxlength="200" required>
      <select id="new-priority" aria-label="priority"><option value="1">P1</option><option value="2">P2</option><option value="3" selected>P3</option><option value="4">P4</option><option value="5">P5</option></select>
      <input type="text" id="new-description" placeholder="description (optional)" maxlength="4000">
      <button>Add task</button>
    </form>
    <div id="board"></div></section>
  <div class="stack">
    <section id="p-messages"><h2>Messages</h2><ul id="messages"></ul>
      <div id="replying" class="row dim" hidden><span id="replying-to"></span><button type="button" class="link" id="reply-cancel">cancel reply</button></div>
      <form id="send" class="row act" hidden><input type="text" id="message" placeholder="message; @name or @all to mention" maxlength="8000" required autocomplete="off"><button>Send</button></form></section>
    <section id="p-charts"><h2>Charts <select id="hours" aria-label="hours"><option value="1" selected>1 h</option><option value="3">3 h</option><option value="6">6 h</option><option value="24">24 h</option></select></h2>
      <div class="charts"><div><div class="dim">events per minute</div><div id="chart-events"></div></div><div><div class="dim">cost over time (USD, cumulative)</div><div id="chart-cost"></div></div></div></section>
    <section id="p-timeline"><h2>Timeline
      <select id="tl-agent" aria-label="filter by agent"><option value="">every agent</option></select>
      <select id="tl-kind" aria-label="filter by kind"><option value="">every kind</option></select></h2>
      <ul id="timeline"></ul><button id="tl-older" hidden>Older</button></section>
  </div>
  <div class="side">
    <section id="p-approvals"><h2>Waiting for approval</h2><ul id="interrupts"></ul></section>
    <section id="p-agents"><h2>Agents</h2><ul id="agents"></ul></section>
    <section id="p-locks"><h2>Locks</h2><ul id="locks"></ul></section>
    <section id="p-votes"><h2>Votes</h2><ul id="votes"></ul></section>
    <section id="p-cost"><h2>Cost</h2><div id="cost" class="dim"></div><table id="cost-budgets"></table><table id="cost-agents"></table><table id="cost-tasks"></table></section>
    <!-- Room administration (admins only): room-level buttons such as minting an invite go here. -->
    <section id="admin" hidden><h2>Room admin</h2><div id="admin-actions" class="row">${INVITE_HTML}</div></section>
  </div>
</main>
<dialog id="task-dialog"><div id="task-detail"></div><form method="dialog" class="row"><button>Close</button></form></dialog>
<dialog id="confirm-dialog"><h3 id="confirm-title"></h3><pre id="confirm-action"></pre>
  <p>This cannot be undone. Type the id <b id="confirm-id"></b> to approve.</p>
  <form id="confirm-form" class="row"><input type="text" id="confirm-input" autocomplete="off" aria-label="id to approve"><button class="approve" id="confirm-go" disabled>Approve</button><button type="button" id="confirm-cancel">Cancel</button></form></dialog>
<dialog id="reject-dialog"><h3 id="reject-title"></h3>
  <form id="reject-form" class="row"><input type="text" id="reject-reason" placeholder="reason (the agent will see it)" maxlength="1000"><button class="reject">Reject</button><button type="button" id="reject-cancel">Cancel</button></form></dialog>
<div id="toast" role="alert"></div>
<script>${SCRIPT_BASE}${SCRIPT_PANELS}${SCRIPT_DETAIL}${SCRIPT_CHAIN}${SCRIPT_CHARTS}${SCRIPT_TIMELINE}${SCRIPT}${INVITE_SCRIPT}</script>
</body>
</html>`;
