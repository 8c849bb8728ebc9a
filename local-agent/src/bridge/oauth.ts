import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { REFRESH_TIMEOUT_MS, withLock } from "./refresh-lock.ts";

/**
 * OAuth sign-in for `masc-agent stdio` against a room with auth on, as Claude Code signs in: the
 * room's 401 names its protected-resource metadata, which names the authorization server; we
 * register (RFC 7591), open the browser on the consent page (or print its URL), take the code on a
 * loopback callback (RFC 8252) and exchange it with PKCE for tokens bound to the room (RFC 8707).
 * masc-agent ships without dependencies, so this client is plain fetch. Registration and tokens
 * are kept in a 0600 file beside the user's other tool credentials, one entry per room URL.
 */

interface Tokens {
  access_token: string;
  refresh_token?: string;
  /** Milliseconds since the epoch. */
  expires_at?: number;
}

interface Saved {
  issuer: string;
  token_endpoint: string;
  resource: string;
  client_id: string;
  tokens?: Tokens;
}

/** `$MASC_CONFIG_DIR`, else `$XDG_CONFIG_HOME/masc`, else `~/.config/masc`. */
export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.MASC_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "masc");
  return join(dir, "oauth.json");
}

function readAll(file: string): Record<string, Saved> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, Saved>;
  } catch {
    return {};
  }
}

/** Written to a 0600 temporary file and renamed, so the tokens are never readable by others, even briefly. */
function save(file: string, roomUrl: string, entry: Saved | undefined): void {
  const all = readAll(file);
  if (entry) all[roomUrl] = entry;
  else delete all[roomUrl];
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

const b64url = (buf: Buffer) => buf.toString("base64url");

/** The token endpoint's OAuth error answer (RFC 6749 §5.2): the grant itself was turned down. */
class TokenRefused extends Error {}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return body;
  const message = `${what}: ${res.status} ${String(body.error ?? "")} ${String(body.error_description ?? "")}`.trim();
  // 400/401 with an OAuth error code is a verdict on the grant; anything else (5xx, a proxy's page) may pass.
  if ((res.status === 400 || res.status === 401) && typeof body.error === "string") throw new TokenRefused(message);
  throw new Error(message);
}

/** The room's answer to a request with this token: 401 means a sign-in (or refresh) is needed. */
async function probe(roomUrl: string, token: string | undefined): Promise<Response> {
  const res = await fetch(roomUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
  });
  await res.body?.cancel();
  return res;
}

async function tokenRequest(saved: Saved, fields: Record<string, string>): Promise<Tokens> {
  const res = await fetch(saved.token_endpoint, {
    method: "POST",
    // Bounded, so a refresh never holds the lock past its stale age.
    signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ ...fields, client_id: saved.client_id, resource: saved.resource }),
  });
  const body = await json(res, "the token endpoint refused");
  return {
    access_token: String(body.access_token),
    refresh_token: typeof body.refresh_token === "string" ? body.refresh_token : undefined,
    expires_at: typeof body.expires_in === "number" ? Date.now() + body.expires_in * 1000 : undefined,
  };
}

function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  if (env.MASC_NO_BROWSER) return;
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    spawn(cmd, [url], { stdio: "ignore", detached: true })
      .on("error", () => undefined)
      .unref();
  } catch {
    // No opener: the printed URL is enough.
  }
}

/** Waits on a loopback port for the browser to come back with `code` and our `state`. */
async function callback(): Promise<{ redirect: string; code: Promise<URL>; close: () => void }> {
  let deliver: (u: URL) => void = () => undefined;
  const code = new Promise<URL>((res) => {
    deliver = res;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback") return void res.writeHead(404).end();
    const ok = url.searchParams.has("code");
    res.writeHead(ok ? 200 : 400, { "content-type": "text/plain; charset=utf-8" });
    res.end(ok ? "masc-agent is signed in; you can close this tab." : `sign-in refused: ${url.searchParams.get("error") ?? "no code"}`);
    deliver(url);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { redirect: `http://127.0.0.1:${port}/callback`, code, close: () => server.close() };
}

/** Discovery, registration, the browser consent and the code exchange: a fresh sign-in. */
async function browserSignIn(roomUrl: string, challenge: Response, log: (l: string) => void, env: NodeJS.ProcessEnv): Promise<Saved> {
  const header = challenge.headers.get("www-authenticate") ?? "";
  const prmUrl = /resource_metadata="([^"]+)"/.exec(header)?.[1];
  if (!prmUrl) throw new Error(`the room asks for a credential but names no OAuth metadata; pass --token (${header || "no challenge"})`);
  const prm = await json(await fetch(prmUrl), "protected-resource metadata");
  const issuer = String((prm.authorization_servers as string[] | undefined)?.[0] ?? "");
  const as = await json(await fetch(`${issuer}/.well-known/oauth-authorization-server`), "authorization-server metadata");
  const cb = await callback();
  try {
    const registered = await json(
      await fetch(String(as.registration_endpoint), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_name: "masc-agent stdio",
          redirect_uris: [cb.redirect],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          token_endpoint_auth_method: "none",
        }),
      }),
      "client registration",
    );
    const saved: Saved = {
      issuer,
      token_endpoint: String(as.token_endpoint),
      resource: String(prm.resource),
      client_id: String(registered.client_id),
    };
    const verifier = b64url(randomBytes(32));
    const state = b64url(randomBytes(16));
    const authorize = new URL(String(as.authorization_endpoint));
    for (const [k, v] of Object.entries({
      response_type: "code",
      client_id: saved.client_id,
      redirect_uri: cb.redirect,
      code_challenge: b64url(createHash("sha256").update(verifier).digest()),
      code_challenge_method: "S256",
      state,
      resource: saved.resource,
    }))
      authorize.searchParams.set(k, v);
    log(`masc-agent stdio: sign in to ${roomUrl} in your browser (paste the invite an admin gave you):\n  ${authorize.href}`);
    openBrowser(authorize.href, env);
    const back = await cb.code;
    if (back.searchParams.get("state") !== state) throw new Error("sign-in refused: the answer's state does not match this sign-in");
    const code = back.searchParams.get("code");
    if (!code)
      throw new Error(`sign-in refused: ${back.searchParams.get("error")} ${back.searchParams.get("error_description") ?? ""}`.trim());
    saved.tokens = await tokenRequest(saved, {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: cb.redirect,
    });
    return saved;
  } finally {
    cb.close();
  }
}

const expired = (t: Tokens) => t.expires_at !== undefined && t.expires_at <= Date.now();

/**
 * Holds the room's OAuth tokens for the bridge: the current one, and a renewal when the room says
 * 401. Other masc-agent processes may share the stored sign-in, so a renewal runs under the lock
 * file beside it and first looks whether another process has renewed already.
 */
export class OAuthSession {
  readonly #file: string;
  readonly #roomUrl: string;
  readonly #log: (l: string) => void;
  /** The access token last handed out: a 401 is about this one. */
  #held: string | undefined;

  constructor(roomUrl: string, file: string, log: (l: string) => void = () => {}) {
    this.#roomUrl = roomUrl;
    this.#file = file;
    this.#log = log;
  }

  get #saved(): Saved | undefined {
    return readAll(this.#file)[this.#roomUrl];
  }

  get #lock(): string {
    return `${this.#file}.lock`;
  }

  get token(): string | undefined {
    this.#held = this.#saved?.tokens?.access_token;
    return this.#held;
  }

  /** A new access token (rotated and stored, or stored by another process meanwhile); undefined when that no longer works. */
  async renew(): Promise<string | undefined> {
    // Taken before waiting: a renewal that ran while we waited, here or in another process, stored a different one.
    const held = this.#held;
    try {
      this.#held = await withLock(this.#lock, () => this.#refresh(held), {
        onWait: (h) => this.#log(`masc-agent stdio: waiting for ${h ? `pid ${h.pid}` : "another masc-agent"} to refresh the sign-in`),
      });
    } catch (err) {
      this.#log(`masc-agent stdio: cannot refresh the sign-in: ${err instanceof Error ? err.message : String(err)}`);
      this.#held = undefined;
    }
    return this.#held;
  }

  /** Under the lock: the stored token if another renewal replaced the one that failed, else a refresh. */
  async #refresh(held: string | undefined): Promise<string | undefined> {
    const saved = this.#saved;
    const stored = saved?.tokens;
    if (stored && stored.access_token !== held && !expired(stored)) return stored.access_token;
    const refresh = stored?.refresh_token;
    if (!saved || !refresh) return undefined;
    try {
      saved.tokens = await tokenRequest(saved, { grant_type: "refresh_token", refresh_token: refresh });
    } catch (err) {
      // Only a refusal ends the stored sign-in; a timeout, a network error or a 5xx leaves it for the next try.
      if (err instanceof TokenRefused) save(this.#file, this.#roomUrl, { ...saved, tokens: undefined });
      else
        this.#log(
          `masc-agent stdio: the token endpoint did not answer the refresh (${err instanceof Error ? err.message : String(err)}); the stored sign-in is kept`,
        );
      return undefined;
    }
    save(this.#file, this.#roomUrl, saved);
    return saved.tokens.access_token;
  }

  /**
   * Makes sure we hold a token the room takes: the stored one, a refreshed one, else the browser
   * sign-in. False when the room needs no credential at all.
   */
  async ensure(log: (l: string) => void, env: NodeJS.ProcessEnv): Promise<boolean> {
    let res = await probe(this.#roomUrl, this.token);
    if (res.status !== 401) return this.token !== undefined;
    const renewed = await this.renew();
    if (renewed) res = await probe(this.#roomUrl, renewed);
    if (res.status !== 401) return true;
    // The challenge to a request without a token is the one that names where to sign in.
    const signedIn = await browserSignIn(this.#roomUrl, await probe(this.#roomUrl, undefined), log, env);
    // The file holds every room's sign-in: written under the lock, so no refresh's write is lost.
    await withLock(this.#lock, async () => save(this.#file, this.#roomUrl, signedIn));
    log(`masc-agent stdio: signed in; the token is kept in ${this.#file}`);
    return true;
  }
}

/** The bridge's OAuth session for a room, signed in; null when the room is open (no credential needed). */
export async function signIn(roomUrl: string, log: (l: string) => void, env: NodeJS.ProcessEnv): Promise<OAuthSession | null> {
  const session = new OAuthSession(roomUrl, credentialsFile(env), log);
  return (await session.ensure(log, env)) ? session : null;
}
