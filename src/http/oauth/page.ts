import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { ROLES } from "../../room/permissions";

/** Everything on the page that came from the client (name, URIs) or the user goes through this. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Who the token will be, once the invite (or the owner secret) is known. */
export type Identity = { kind: "invite"; agent: string; role: string } | { kind: "owner" };

export interface ConsentView {
  room: string;
  consent: ConsentDescription;
  handle: string;
  /** Step two: the invite was checked, so the page shows the identity and Approve. */
  identity?: Identity;
  invite?: string;
  error?: string;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#57606a}dd{margin:0;word-break:break-all}
.warn{background:#fff8c5;padding:.6rem;border-radius:6px}.error{background:#ffebe9;padding:.6rem;border-radius:6px}
input,select{font:inherit;padding:.35rem;width:100%;box-sizing:border-box}label{display:block;margin:.8rem 0}
button{font:inherit;padding:.45rem 1.2rem;margin-right:.6rem}`;

function identityFields(view: ConsentView): string {
  const id = view.identity;
  if (!id) {
    return `<label>Invite (or the deploy's owner secret)
  <input name="invite" type="password" autocomplete="off" required autofocus></label>
<p><button type="submit" name="step" value="continue">Continue</button>
<button type="submit" name="step" value="deny" formnovalidate>Deny</button></p>`;
  }
  const hidden = `<input type="hidden" name="invite" value="${escapeHtml(view.invite ?? "")}">`;
  const who =
    id.kind === "invite"
      ? `<dt>Agent</dt><dd><strong id="agent">${escapeHtml(id.agent)}</strong></dd><dt>Role</dt><dd><strong id="role">${escapeHtml(id.role)}</strong></dd>`
      : "";
  const choose =
    id.kind === "owner"
      ? `<label>Agent name <input name="agent_name" pattern="[A-Za-z0-9_\\-]{1,64}" required></label>
<label>Role <select name="role">${ROLES.map((r) => `<option${r === "worker" ? " selected" : ""}>${r}</option>`).join("")}</select></label>`
      : "";
  return `<dl>${who}</dl>${hidden}${choose}
<p><button type="submit" name="step" value="approve">Approve</button>
<button type="submit" name="step" value="deny" formnovalidate>Deny</button></p>`;
}

/** The consent page: plain HTML, one form, no script. */
export function consentPage(view: ConsentView): string {
  const c = view.consent;
  const name = escapeHtml(c.clientName);
  const origin = c.clientDomain
    ? `Published by <strong>${escapeHtml(c.clientDomain)}</strong>.`
    : "This app registered itself; its name is not verified.";
  const loopback = c.redirectIsLoopback
    ? `<p class="warn">This sends access to an app on your computer. Continue only if you just started signing in from it.</p>`
    : "";
  const error = view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in to masc room ${escapeHtml(view.room)}</title><style>${STYLE}</style></head>
<body>
<h1>Allow ${name} into room <code>${escapeHtml(view.room)}</code>?</h1>
<p>${origin}</p>
<dl><dt>Room</dt><dd id="room">${escapeHtml(view.room)}</dd><dt>App</dt><dd id="client">${name}</dd>
<dt>Access goes to</dt><dd id="redirect-host">${escapeHtml(c.redirectHost)}</dd></dl>
${loopback}${error}
<form method="post">
<input type="hidden" name="handle" value="${escapeHtml(view.handle)}">
${identityFields(view)}
</form>
</body></html>`;
}

/** An error shown here rather than sent to the client: the client or its redirect is not trusted. */
export function errorPage(code: string, description: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in refused</title><style>${STYLE}</style></head>
<body><h1>Sign-in refused</h1><p class="error" role="alert"><code>${escapeHtml(code)}</code>: ${escapeHtml(description)}</p>
<p>Start the sign-in again from your app.</p></body></html>`;
}
