import { INVITE_HTML, INVITE_SCRIPT } from "./invite";
import { SCRIPT } from "./script";
import { STYLE } from "./style";

/** The whole dashboard: one small page, no framework; every value is set as text, never as HTML. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>masc room</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>masc · <span class="room" id="room"></span></h1>
  <span id="conn" class="down">connecting</span>
  <span id="paused" class="dim"></span>
  <span id="error" class="dim"></span>
  <form id="auth"><input id="token" type="password" placeholder="token (if the room has auth)" autocomplete="off"><button>Use</button></form>
  ${INVITE_HTML}
</header>
<main>
  <section class="wide"><h2>Task board</h2><div id="board"></div></section>
  <section><h2>Messages</h2><ul id="messages"></ul></section>
  <div class="side">
    <section><h2>Waiting for approval</h2><ul id="interrupts"></ul></section>
    <section><h2>Agents</h2><ul id="agents"></ul></section>
    <section><h2>Cost so far</h2><div id="cost" class="dim"></div></section>
  </div>
</main>
<script>${SCRIPT}${INVITE_SCRIPT}</script>
</body>
</html>`;
