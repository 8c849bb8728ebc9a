import { exports } from "cloudflare:workers";

/** A hand-driven OAuth client for workerd tests: registration, consent form, token requests. */

type Fetcher = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export const REDIRECT = "http://127.0.0.1:4999/callback";

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge: b64url(digest) };
}

export interface Started {
  url: string;
  handle: string;
  cookie: string;
  html: string;
  status: number;
  verifier: string;
}

/** The flow against one origin through one fetcher (the Worker in workerd, loopback or "deployed"). */
export function oauthFlow(origin: string, fetcher: Fetcher) {
  const mcpUrl = (room: string) => (room === "default" ? `${origin}/mcp` : `${origin}/r/${room}/mcp`);

  async function register(name = "Test client", redirect = REDIRECT): Promise<string> {
    const res = await fetcher(`${origin}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: name,
        redirect_uris: [redirect],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      }),
    });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { client_id: string }).client_id;
  }

  async function authorizeUrl(clientId: string, room: string, over: Record<string, string> = {}) {
    const { verifier, challenge } = await pkce();
    const params = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "st-123",
      resource: mcpUrl(room),
      ...over,
    });
    return { url: `${origin}/authorize?${params}`, verifier };
  }

  /** GET /authorize: the consent page, its form handle and the cookie that binds it to this browser. */
  async function openConsent(clientId: string, room: string, over: Record<string, string> = {}): Promise<Started> {
    const { url, verifier } = await authorizeUrl(clientId, room, over);
    const res = await fetcher(url, { redirect: "manual" });
    const html = await res.text();
    const handle = /name="handle" value="([^"]*)"/.exec(html)?.[1] ?? "";
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    return { url, handle, cookie, html, status: res.status, verifier };
  }

  function submit(started: Started, fields: Record<string, string>, cookie = started.cookie): Promise<Response> {
    return fetcher(started.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin },
      body: new URLSearchParams({ handle: started.handle, ...fields }),
      redirect: "manual",
    });
  }

  async function token(fields: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
    const res = await fetcher(`${origin}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  /** The whole sign-in with an invite (or the owner secret and extra fields): the code exchange's tokens. */
  async function signIn(clientId: string, room: string, invite: string, extra: Record<string, string> = {}) {
    const started = await openConsent(clientId, room);
    const res = await submit(started, { invite, step: "approve", ...extra });
    const location = new URL(res.headers.get("location") ?? "");
    const code = location.searchParams.get("code");
    if (!code) throw new Error(`no code: ${res.status} ${location}`);
    const tokens = await token({
      grant_type: "authorization_code",
      code,
      code_verifier: started.verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
      resource: mcpUrl(room),
    });
    return tokens.body;
  }

  return { mcpUrl, register, authorizeUrl, openConsent, submit, token, signIn };
}

export const ORIGIN = "http://localhost";
export const { mcpUrl, register, authorizeUrl, openConsent, submit, token, signIn } = oauthFlow(ORIGIN, (i, n) =>
  exports.default.fetch(new Request(i, n)),
);
