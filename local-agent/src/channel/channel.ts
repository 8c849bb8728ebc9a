import { randomBytes } from "node:crypto";
import type { Message } from "../bridge/room-session.ts";
import type { BridgeHooks } from "../bridge/stdio.ts";
import { saveCursor } from "./cursor.ts";
import { type ChannelEvent, channelEventFor, type RoomEvent } from "./events.ts";
import { Feed } from "./feed.ts";
import { Pacer } from "./pacer.ts";
import { relayPermission, roomTool } from "./room-calls.ts";

export interface ChannelOptions {
  /** The server's base URL and the room. */
  url: string;
  room: string;
  agent: string;
  token: () => string | undefined;
  renew?: () => Promise<unknown>;
  permissionRelay: boolean;
  permissionTtlS: number;
  cursorFile: string;
  /** The seq to resume after (from the cursor file), or null on a first run. */
  resumeAt: number | null;
  log: (line: string) => void;
}

/** A burst beyond this many events per second becomes one summary event. */
const PER_WINDOW = 3;
const WINDOW_MS = 1000;

const REQUEST_ID_RE = /^[a-km-z]{5}$/;
/** Events that go nowhere move the cursor on disk at most this often (those that go out, at once). */
const LAZY_SAVE_MS = 500;

/**
 * masc-agent channel: the stdio bridge (every masc tool, unchanged) plus a Claude Code channel.
 * It declares `claude/channel` (and `claude/channel/permission`), follows the room as its agent,
 * and pushes what concerns that agent as `notifications/claude/channel`; permission prompts go to
 * the room as approvals and their verdicts come back (decision 0040).
 */
export class Channel implements BridgeHooks {
  /** Names this process to the room: its permission requests are abandoned when it is gone. */
  readonly id = randomBytes(12).toString("base64url");
  #write: (m: Message) => void = () => {};
  readonly #inits = new Set<unknown>();
  readonly #lockCalls = new Set<unknown>();
  readonly #refused = new Set<string>();
  readonly #outstanding = new Set<string>();
  #handled: number | null;
  #saved: number | null;
  #feed: Feed | null = null;
  #lazySave: ReturnType<typeof setTimeout> | null = null;
  readonly #pacer: Pacer;
  private readonly o: ChannelOptions;

  constructor(o: ChannelOptions) {
    this.o = o;
    this.#handled = o.resumeAt;
    this.#saved = o.resumeAt;
    this.#pacer = new Pacer({ perWindow: PER_WINDOW, windowMs: WINDOW_MS, agent: o.agent }, (e) => this.#send(e));
  }

  get roomBase(): string {
    return `${this.o.url}/r/${encodeURIComponent(this.o.room)}`;
  }

  attach(write: (m: Message) => void): void {
    this.#write = write;
  }

  intercept(m: Message): boolean {
    if (m.method === "initialize") this.#inits.add(m.id);
    if (m.method === "notifications/initialized") queueMicrotask(() => void this.#start());
    if (m.method === "tools/call" && (m.params as { name?: unknown } | undefined)?.name === "masc_lock") this.#lockCalls.add(m.id);
    if (m.method === "notifications/claude/channel/permission_request") {
      void this.#relay((m.params ?? {}) as Record<string, unknown>);
      return true;
    }
    return false;
  }

  outgoing(m: Message): Message {
    if (m.id !== undefined && this.#inits.delete(m.id)) return this.#declare(m);
    if (m.id !== undefined && this.#lockCalls.delete(m.id)) this.#noteRefusal(m);
    return m;
  }

  close(): void {
    this.#feed?.stop();
    this.#pacer.stop();
    if (this.#lazySave) this.#persist();
  }

  /** Drops the room link as a network failure would (tests, bench). */
  dropLink(): void {
    this.#feed?.drop();
  }

  /** The initialize answer with the channel's capabilities and a word for the model on what arrives. */
  #declare(m: Message): Message {
    const result = m.result as { capabilities?: Record<string, unknown>; instructions?: string } | undefined;
    if (!result) return m;
    const experimental = {
      ...((result.capabilities?.experimental as Record<string, unknown> | undefined) ?? {}),
      "claude/channel": {},
      ...(this.o.permissionRelay ? { "claude/channel/permission": {} } : {}),
    };
    const said =
      `Room events for you, agent ${this.o.agent}, arrive as <channel source="masc" kind=… sender=… seq=…>: ` +
      "mentions, portal messages, tasks now yours, decisions on your interrupts, locks you were refused that are free, votes. " +
      "Answer through the masc tools (masc_broadcast, masc_portal_send) as this agent.";
    return {
      ...m,
      result: {
        ...result,
        capabilities: { ...result.capabilities, experimental },
        instructions: result.instructions ? `${result.instructions}\n\n${said}` : said,
      },
    };
  }

  #noteRefusal(m: Message): void {
    const result = m.result as { isError?: boolean; content?: Array<{ text?: string }> } | undefined;
    const text = result?.isError ? (result.content?.[0]?.text ?? "") : "";
    const held = /^lock_held: (.+?) is locked by /.exec(text);
    if (held?.[1]) this.#refused.add(held[1]);
  }

  async #start(): Promise<void> {
    if (this.#feed) return;
    const mcp = `${this.roomBase}/mcp`;
    try {
      await roomTool(mcp, this.o.token(), "masc_join", { agent_name: this.o.agent });
    } catch (err) {
      this.o.log(`masc-agent channel: could not join room ${this.o.room} as ${this.o.agent}: ${(err as Error).message}`);
    }
    this.#feed = new Feed({
      url: this.o.url,
      room: this.o.room,
      agent: this.o.agent,
      channel: this.id,
      token: this.o.token,
      ...(this.o.renew ? { renew: this.o.renew } : {}),
      since: () => this.#handled,
      onWelcome: (last) => {
        if (this.#handled !== null || !Number.isInteger(last)) return;
        this.#handled = last;
        this.#persist();
      },
      onEvent: (e) => this.#onEvent(e),
      log: this.o.log,
    });
    this.#feed.start();
  }

  #onEvent(e: RoomEvent): void {
    // Replays after a reconnect start after #handled; anything at or before it went out already.
    if (this.#handled !== null && e.seq <= this.#handled) return;
    this.#handled = e.seq;
    if (e.kind === "permission_allowed" || e.kind === "permission_denied") this.#verdict(e);
    else {
      const ev = channelEventFor(e, { agent: this.o.agent, refused: this.#refused });
      if (ev) this.#pacer.push(ev);
    }
    // Skipping an event again after a restart costs nothing, so a busy room is not a write per event.
    this.#persist(true);
  }

  #send(e: ChannelEvent): void {
    this.#write({ jsonrpc: "2.0", method: "notifications/claude/channel", params: { content: e.content, meta: e.meta } });
    this.#persist();
  }

  /** The cursor moves past an event only once it went out; held ones keep it before them. */
  #persist(lazy = false): void {
    if (lazy) {
      this.#lazySave ??= setTimeout(() => this.#persist(), LAZY_SAVE_MS);
      return;
    }
    if (this.#lazySave) clearTimeout(this.#lazySave);
    this.#lazySave = null;
    const seq = this.#pacer.heldFrom ?? this.#handled;
    if (seq === null || seq === this.#saved) return;
    this.#saved = seq;
    try {
      saveCursor(this.o.cursorFile, seq);
    } catch (err) {
      this.o.log(`masc-agent channel: could not save the cursor in ${this.o.cursorFile}: ${(err as Error).message}`);
    }
  }

  #verdict(e: RoomEvent): void {
    const id = e.data.request_id;
    if (e.data.channel !== this.id || typeof id !== "string" || !this.#outstanding.delete(id)) return;
    const behavior = e.kind === "permission_allowed" ? "allow" : "deny";
    this.#write({ jsonrpc: "2.0", method: "notifications/claude/channel/permission", params: { request_id: id, behavior } });
  }

  async #relay(p: Record<string, unknown>): Promise<void> {
    if (!this.o.permissionRelay) return;
    const id = p.request_id;
    if (typeof id !== "string" || !REQUEST_ID_RE.test(id)) {
      this.o.log(`masc-agent channel: ignored a permission request with a malformed request_id ${JSON.stringify(id)}`);
      return;
    }
    const str = (v: unknown, max: number) => (typeof v === "string" ? v : JSON.stringify(v ?? "")).slice(0, max);
    this.#outstanding.add(id);
    try {
      await relayPermission(this.roomBase, this.o.token(), {
        agent: this.o.agent,
        channel: this.id,
        request_id: id,
        tool_name: str(p.tool_name, 200) || "unknown",
        description: str(p.description, 2000),
        input_preview: str(p.input_preview, 1000),
        ttl_s: this.o.permissionTtlS,
      });
    } catch (err) {
      this.#outstanding.delete(id);
      this.o.log(
        `masc-agent channel: the room did not take permission request ${id}: ${(err as Error).message}; answer it in the terminal`,
      );
    }
  }
}
