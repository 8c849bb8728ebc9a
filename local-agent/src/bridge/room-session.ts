import { backoffMs, seconds } from "../cli/backoff.ts";
import { readSse } from "./sse.ts";

export type Message = Record<string, unknown>;
type One = { id?: unknown; method?: unknown; result?: unknown };

/** Bounded memory of SSE ids already passed on, so a replay that overlaps is not pushed twice. */
const SEEN_IDS = 2_000;

/**
 * One MCP session with the room over Streamable HTTP, kept alive for as long as the bridge runs:
 * the push stream (GET) is reopened forever with backoff and `Last-Event-ID`, and a session the
 * room no longer knows is re-initialized with the client's own `initialize` request, so the client
 * on the other side of the bridge never notices.
 */
export class RoomSession {
  onmessage: (m: Message) => void = () => {};
  #sessionId: string | undefined;
  #protocol: string | undefined;
  #initialize: Message | undefined;
  #lastEventId: string | undefined;
  readonly #seen = new Set<string>();
  #listening = false;
  #closed = false;
  readonly #abort = new AbortController();
  #wake: (() => void) | null = null;
  #reinit: Promise<void> | null = null;

  private readonly url: string;
  private token: string | undefined;
  private readonly log: (line: string) => void;
  /** A new token when the room answers 401 (an OAuth access token expired); see bridge/oauth.ts. */
  private readonly renew: (() => Promise<string | undefined>) | undefined;

  constructor(url: string, token: string | undefined, log: (line: string) => void, renew?: () => Promise<string | undefined>) {
    this.url = url;
    this.token = token;
    this.log = log;
    this.renew = renew;
  }

  /** True when a renewed token is worth one more try. */
  async #renewed(res: Response): Promise<boolean> {
    if (res.status !== 401 || !this.renew) return false;
    await res.body?.cancel();
    this.token = await this.renew();
    return this.token !== undefined;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  close(): void {
    this.#closed = true;
    this.#abort.abort();
    this.#wake?.();
  }

  #headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { accept };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (this.#sessionId) h["mcp-session-id"] = this.#sessionId;
    if (this.#protocol) h["mcp-protocol-version"] = this.#protocol;
    return h;
  }

  /** Sends one client message; replies come through onmessage. Throws when the room cannot take it. */
  async send(message: Message, retried = false): Promise<void> {
    const one = message as One;
    if (one.method === "initialize") this.#initialize = message;
    // A session being started over is not ours to use until it is initialized.
    await this.#settled();
    const used = this.#sessionId;
    const res = await this.#post(message);
    // Only an initialize names a session: a late answer to an older one must not bring it back.
    const sid = res.headers.get("mcp-session-id");
    if (sid && one.method === "initialize") this.#sessionId = sid;
    if (!retried && (await this.#renewed(res))) return this.send(message, true);
    if (res.status === 404 && used && !retried && one.method !== "initialize") {
      await res.body?.cancel();
      await this.#reinitialize(used);
      return this.send(message, true);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      throw new Error(`the room answered ${res.status}${text ? `: ${text.slice(0, 300)}` : ""}`);
    }
    if (one.method === "notifications/initialized") this.#listen();
    await this.#deliver(res, (m) => this.onmessage(m));
  }

  #post(message: Message, headers = this.#headers("application/json, text/event-stream")): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: this.#abort.signal,
    });
  }

  /** Resolves once no re-initialization is under way (whether it worked is the starter's to report). */
  async #settled(): Promise<void> {
    while (this.#reinit) await this.#reinit.catch(() => undefined);
  }

  /** A JSON or SSE response body, message by message. */
  async #deliver(res: Response, to: (m: Message) => void): Promise<void> {
    const type = res.headers.get("content-type") ?? "";
    if (res.status === 202 || !res.body) return void (await res.body?.cancel());
    if (type.includes("text/event-stream")) {
      for await (const e of readSse(res.body)) if (e.data.trim() && (!e.event || e.event === "message")) this.#pass(e.data, to);
      return;
    }
    if (type.includes("application/json")) this.#pass(await res.text(), to);
    else await res.body.cancel();
  }

  #pass(data: string, to: (m: Message) => void): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.log(`masc-agent stdio: the room sent something that is not JSON: ${data.slice(0, 100)}`);
      return;
    }
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      const result = (m as One).result as { protocolVersion?: unknown } | undefined;
      if (typeof result?.protocolVersion === "string") this.#protocol = result.protocolVersion;
      to(m as Message);
    }
  }

  /**
   * Starts over once for a session the room forgot: the push stream and requests in flight may all
   * find `stale` gone, and only the first of them starts a new session; the others use it.
   */
  async #reinitialize(stale: string): Promise<void> {
    // Rechecked on resuming, with no await between the check and taking the slot: another caller
    // may have taken it meanwhile, and two must not both start over.
    do await this.#settled();
    while (this.#reinit);
    if (this.#sessionId !== stale) return;
    this.#reinit = this.#startOver().finally(() => {
      this.#reinit = null;
    });
    return this.#reinit;
  }

  /** The room lost our session (it was deleted or the room's storage reset): start a new one the same way. */
  async #startOver(): Promise<void> {
    if (!this.#initialize) throw new Error("the room no longer knows this session");
    this.log("masc-agent stdio: the room no longer knows this session; starting a new one with the same initialize request");
    const init = { ...this.#initialize, id: `masc-agent-reinit-${Date.now()}` };
    const fresh = this.#headers("application/json, text/event-stream");
    delete fresh["mcp-session-id"];
    const res = await this.#post(init, fresh);
    const sid = res.headers.get("mcp-session-id");
    if (!res.ok || !sid) {
      await res.body?.cancel();
      throw new Error(`could not start a new session: the room answered ${res.status}`);
    }
    await this.#deliver(res, () => {}); // The client already has its initialize reply.
    this.#sessionId = sid;
    const done = await this.#post({ jsonrpc: "2.0", method: "notifications/initialized" });
    await done.body?.cancel();
  }

  /** The push stream: open it, read it, and when it ends or fails open it again — for as long as we run. */
  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    void (async () => {
      let failures = 0;
      let downSince: number | null = null;
      let lastWhy = "";
      while (!this.#closed) {
        let why: string;
        try {
          await this.#settled();
          const used = this.#sessionId;
          const headers = this.#headers("text/event-stream");
          if (this.#lastEventId) headers["last-event-id"] = this.#lastEventId;
          const res = await fetch(this.url, { method: "GET", headers, signal: this.#abort.signal });
          if (res.status === 405) {
            await res.body?.cancel();
            return this.log("masc-agent stdio: the room offers no push stream; requests still work");
          }
          if (await this.#renewed(res)) continue;
          if (res.status === 404 && this.#initialize && used) {
            await res.body?.cancel();
            await this.#reinitialize(used);
            continue;
          }
          if (!res.ok || !res.body) {
            await res.body?.cancel();
            throw new Error(res.status === 401 ? "the room refused the token (MASC_TOKEN)" : `the room answered ${res.status}`);
          }
          failures = 0;
          if (lastWhy && downSince !== null) this.log(`masc-agent stdio: push stream back after ${seconds(Date.now() - downSince)}`);
          downSince = null;
          lastWhy = "";
          for await (const e of readSse(res.body)) {
            if (e.id) {
              if (this.#seen.has(e.id)) continue;
              this.#remember(e.id);
              this.#lastEventId = e.id;
            }
            if (e.data.trim() && (!e.event || e.event === "message")) this.#pass(e.data, (m) => this.onmessage(m));
          }
          why = "the room closed the push stream";
        } catch (err) {
          if (this.#closed) return;
          why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
        }
        // The first retry is quiet: streams also end for dull reasons (idle timeouts, a redeploy).
        const wait = backoffMs(failures++);
        downSince ??= Date.now();
        if (failures >= 2 && why !== lastWhy) {
          this.log(`masc-agent stdio: push stream down (${why}); reconnecting, next try in ${seconds(wait)}`);
          lastWhy = why;
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          this.#wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    })();
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value as string);
  }
}
