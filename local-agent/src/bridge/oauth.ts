import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";
import { auth, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/**
 * OAuth sign-in for `masc-agent stdio` against a room with auth on, the way Claude Code signs in:
 * the room's 401 starts discovery and registration, the person approves in the browser (we open it,
 * or print the URL), and a loopback server takes the code. The registration and tokens are kept in
 * a 0600 file beside the user's other tool credentials, one entry per room URL.
 */

interface Saved {
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
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

/** Written to a 0600 temporary file and renamed, so the secret is never readable by others even briefly. */
function writeAll(file: string, all: Record<string, Saved>): void {
  const dir = join(file, "..");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export class FileOAuthProvider implements OAuthClientProvider {
  #verifier = "";
  // Replaced by the callback server's URL while signing in; any loopback port matches (RFC 8252).
  redirectUrl = "http://127.0.0.1/callback";
  onAuthorizationUrl: (url: URL) => void = () => undefined;

  readonly roomUrl: string;
  readonly file: string;

  constructor(roomUrl: string, file: string) {
    this.roomUrl = roomUrl;
    this.file = file;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "masc-agent stdio",
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  #get(): Saved {
    return readAll(this.file)[this.roomUrl] ?? {};
  }
  #set(patch: Partial<Saved>): void {
    const all = readAll(this.file);
    all[this.roomUrl] = { ...all[this.roomUrl], ...patch };
    writeAll(this.file, all);
  }
  clientInformation() {
    return this.#get().client;
  }
  saveClientInformation(client: OAuthClientInformationMixed) {
    this.#set({ client });
  }
  tokens() {
    return this.#get().tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.#set({ tokens });
  }
  redirectToAuthorization(url: URL) {
    this.onAuthorizationUrl(url);
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    if (scope === "all") this.#set({ client: undefined, tokens: undefined });
    if (scope === "client") this.#set({ client: undefined });
    if (scope === "tokens") this.#set({ tokens: undefined });
  }
}

/** The loopback redirect target (RFC 8252): answers the browser and hands over the code. */
function callback(): Promise<{ url: string; code: Promise<string>; server: Server }> {
  return new Promise((resolve, reject) => {
    let deliver: (code: string) => void = () => undefined;
    let refuse: (err: Error) => void = () => undefined;
    const code = new Promise<string>((res, rej) => {
      deliver = res;
      refuse = rej;
    });
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname !== "/callback") return void res.writeHead(404).end();
      const got = url.searchParams.get("code");
      const error = url.searchParams.get("error");
      res.writeHead(got ? 200 : 400, { "content-type": "text/plain; charset=utf-8" });
      res.end(got ? "masc-agent is signed in; you can close this tab." : `sign-in refused: ${error ?? "no code"}`);
      if (got) deliver(got);
      else refuse(new Error(`sign-in refused: ${error ?? "no code"} ${url.searchParams.get("error_description") ?? ""}`.trim()));
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/callback`, code, server });
    });
  });
}

/** Opens a URL in the user's browser; false when there is no opener (then the URL is printed). */
function openBrowser(url: string): void {
  if (process.env.MASC_NO_BROWSER) return;
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    spawn(cmd, [url], { stdio: "ignore", detached: true })
      .on("error", () => undefined)
      .unref();
  } catch {
    // No opener: the printed URL is enough.
  }
}

/** Whether the room wants a credential we do not have (a valid stored token counts). */
async function needsSignIn(url: string, token: string | undefined): Promise<boolean> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
  });
  await res.body?.cancel();
  return res.status === 401;
}

/**
 * Makes sure the provider holds a token the room accepts: nothing when the room is open or the
 * stored token works, a refresh when it can, else the browser sign-in. Returns null when the room
 * needs no OAuth at all (then the bridge runs without a provider).
 */
export async function signIn(roomUrl: string, log: (line: string) => void, env = process.env): Promise<FileOAuthProvider | null> {
  const provider = new FileOAuthProvider(roomUrl, credentialsFile(env));
  if (!(await needsSignIn(roomUrl, provider.tokens()?.access_token))) return provider.tokens() ? provider : null;
  const cb = await callback();
  try {
    provider.redirectUrl = cb.url;
    provider.onAuthorizationUrl = (url) => {
      log(`masc-agent stdio: sign in to ${roomUrl} in your browser (paste the invite an admin gave you):\n  ${url.href}`);
      openBrowser(url.href);
    };
    const serverUrl = new URL(roomUrl);
    if ((await auth(provider, { serverUrl })) === "AUTHORIZED") return provider;
    await auth(provider, { serverUrl, authorizationCode: await cb.code });
    log(`masc-agent stdio: signed in; credentials kept in ${provider.file}`);
    return provider;
  } finally {
    cb.server.close();
  }
}
