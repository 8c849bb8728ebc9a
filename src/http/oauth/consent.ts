import {
  AuthorizationError,
  type AuthRequest,
  authorizationErrorRedirect,
  CimdFetchError,
  type OAuthHelpers,
} from "@cloudflare/workers-oauth-provider";
import { AGENT_NAME_RE } from "../../mcp/fields";
import { isOwnerSecret } from "../../room/auth";
import { ROLES, type Role } from "../../room/permissions";
import { DEFAULT_ROOM } from "../room-name";
import { cimdRefusal } from "./cimd";
import { consentPage, errorPage, type Identity } from "./page";
import { authServer, roomOfResource, userIdOf } from "./server";

/**
 * The consent page at /authorize. The person proves they may enter the room with an invite an
 * admin minted (masc_auth_invite) or the deploy's owner secret. Step one asks for it; step two
 * shows the agent and role the token will carry, with Approve and Deny. The form's handle is
 * bound to this browser by a cookie (the library's beginConsent), which is the CSRF protection.
 */

const SECURITY_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  // Not no-referrer: that makes the form post send `Origin: null`, which the origin guard refuses.
  "referrer-policy": "same-origin",
};

function html(body: string, status = 200, extra?: Headers): Response {
  const headers = new Headers(extra);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.set(k, v);
  return new Response(body, { status, headers });
}

/** The helpers for the room an authorization request names (the default room when it names none). */
function helpersFor(req: Request, env: Env): { helpers: OAuthHelpers; room: string } {
  const url = new URL(req.url);
  const named = url.searchParams.get("resource");
  const room = named === null ? DEFAULT_ROOM : (roomOfResource(url.origin, named) ?? DEFAULT_ROOM);
  return { helpers: authServer(url.origin, room).getOAuthApi(env), room };
}

function refused(error: unknown): Response {
  if (error instanceof AuthorizationError) {
    if (error.redirectTo) return Response.redirect(error.redirectTo, 302);
    return html(errorPage(error.code, error.description), 400);
  }
  if (error instanceof CimdFetchError)
    return html(errorPage("invalid_client", "the app's client metadata document could not be fetched"), 400);
  throw error;
}

/** A client id naming a local or IP address is refused before the library could fetch it as a metadata document. */
function localClient(req: Request): Response | null {
  const reason = cimdRefusal(new URL(req.url).searchParams.get("client_id") ?? "");
  return reason ? html(errorPage("invalid_client", reason), 400) : null;
}

export async function showConsent(req: Request, env: Env): Promise<Response> {
  const local = localClient(req);
  if (local) return local;
  try {
    const { helpers, room } = helpersFor(req, env);
    const request = await helpers.parseAuthRequest(req);
    const consent = await helpers.describeConsent(request);
    const { handle, headers } = await helpers.beginConsent(request);
    return html(consentPage({ room, consent, handle }), 200, headers);
  } catch (error) {
    return refused(error);
  }
}

async function inviteIdentity(env: Env, room: string, invite: string): Promise<Identity | { error: string }> {
  if (await isOwnerSecret(invite, env.MASC_ADMIN_SECRET)) return { kind: "owner" };
  const check = await env.ROOM.getByName(room).inspectInvite(invite);
  return check.ok ? { kind: "invite", agent: check.agent, role: check.role } : { error: check.reason };
}

export async function answerConsent(req: Request, env: Env): Promise<Response> {
  const local = localClient(req);
  if (local) return local;
  try {
    const form = await req.clone().formData();
    const field = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" ? v : "";
    };
    const { helpers, room } = helpersFor(req, env);
    const handle = field("handle");
    const step = field("step");
    if (step === "deny") {
      const denied = await helpers.denyConsent(req, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    if (step === "continue") {
      // The facts shown again come from the validated query; what is approved comes from storage.
      const request = await helpers.parseAuthRequest(req);
      const consent = await helpers.describeConsent(request);
      const invite = field("invite").trim();
      const identity = await inviteIdentity(env, room, invite);
      if ("error" in identity) return html(consentPage({ room, consent, handle, error: identity.error }), 400);
      return html(consentPage({ room, consent, handle, identity, invite }));
    }
    if (step === "approve") return await approve(req, env, helpers, handle, field);
    return html(errorPage("invalid_request", "step must be continue, approve or deny"), 400);
  } catch (error) {
    return refused(error);
  }
}

type Granted = { ok: true; grant: string; agent: string; role: Role } | { ok: false; reason: string };

async function grantFor(env: Env, room: string, client: string, field: (n: string) => string): Promise<Granted> {
  const invite = field("invite").trim();
  if (!(await isOwnerSecret(invite, env.MASC_ADMIN_SECRET))) return env.ROOM.getByName(room).redeemInvite(invite, client);
  const agent = field("agent_name");
  const role = field("role") as Role;
  if (!AGENT_NAME_RE.test(agent)) return { ok: false, reason: "agent_name must be 1-64 letters, digits, '_' or '-'" };
  if (!ROLES.includes(role)) return { ok: false, reason: `role must be one of ${ROLES.join(", ")}` };
  return { ok: true, grant: await env.ROOM.getByName(room).ownerGrant(agent, role, client), agent, role };
}

async function approve(req: Request, env: Env, helpers: OAuthHelpers, handle: string, field: (n: string) => string) {
  const approved = await helpers.approveConsent(req, handle);
  const request: AuthRequest = approved.request;
  const origin = new URL(req.url).origin;
  // The room comes from the stored request, never from the form or the query.
  const room = roomOfResource(origin, request.resource);
  if (!room) throw new AuthorizationError("invalid_target", { description: "the request names no room of this server" });
  const client = (await helpers.lookupClient(request.clientId))?.clientName ?? request.clientId;
  const granted = await grantFor(env, room, client.slice(0, 200), field);
  if (!granted.ok) {
    approved.headers.set("location", authorizationErrorRedirect(request, "access_denied", granted.reason));
    return new Response(null, { status: 302, headers: approved.headers });
  }
  const { redirectTo } = await authServer(origin, room)
    .getOAuthApi(env)
    .completeAuthorization({
      request,
      userId: userIdOf(room, granted.grant),
      metadata: { room, agent: granted.agent },
      scope: request.scope,
      props: { room, agent: granted.agent, role: granted.role, grant: granted.grant },
      revokeExistingGrants: false,
    });
  approved.headers.set("location", redirectTo);
  return new Response(null, { status: 302, headers: approved.headers });
}
