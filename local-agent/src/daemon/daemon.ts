import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { backoffMs, seconds } from "../cli/backoff.ts";
import { checkServer } from "../cli/server.ts";
import { createWorktree, listWorktrees, removeWorktree } from "../git/worktrees.ts";
import type { Note } from "../notify/commands.ts";
import { noteFor, type RoomEvent } from "./notes.ts";

export interface DaemonOptions {
  url: string;
  room: string;
  token?: string;
  root: string;
  agents: string[];
  notify: (note: Note) => Promise<unknown>;
  log: (line: string) => void;
  /** Where the last seq is kept between runs (inside .git, never committed). */
  stateFile?: string;
}

type Frame = { type: string; [k: string]: unknown };

/** How often the daemon pings the room, and how long it waits for any frame before calling the link dead. */
const PING_EVERY_MS = 20_000;
const SILENCE_LIMIT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;
const STABLE_MS = 10_000;

/**
 * The daemon: keeps a WebSocket to the room for as long as it runs, resumes from the last seq it
 * saw (so a reconnect neither loses nor repeats a notification), and answers the room's requests
 * for worktrees.
 */
export class Daemon {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ping: ReturnType<typeof setInterval> | null = null;
  #lastFrameAt = 0;
  #lostAt: number | null = null;
  #lastReason = "";
  #everConnected = false;
  #openedAt: number | null = null;
  lastSeq: number | null;
  readonly seen = new Set<number>();

  private readonly o: DaemonOptions;

  constructor(options: DaemonOptions) {
    this.o = options;
    this.lastSeq = this.#loadSeq();
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ping) clearInterval(this.#ping);
    const ws = this.#ws;
    this.#ws = null;
    ws?.close();
  }

  get connected(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  #socketUrl(): string {
    const u = new URL(`${this.o.url.replace(/^http/, "ws")}/r/${encodeURIComponent(this.o.room)}/ws`);
    u.searchParams.set("kind", "local-agent");
    if (this.lastSeq !== null) u.searchParams.set("since", String(this.lastSeq));
    if (this.o.token) u.searchParams.set("token", this.o.token);
    return u.toString();
  }

  #connect(): void {
    if (this.#stopped) return;
    const ws = new WebSocket(this.#socketUrl());
    this.#ws = ws;
    // A connection that neither opens nor fails (a black-holed network) counts as failed.
    const opening = setTimeout(() => this.#lost(ws, "no answer in time"), CONNECT_TIMEOUT_MS);
    ws.addEventListener("open", () => {
      clearTimeout(opening);
      this.#openedAt = Date.now();
      this.#lastFrameAt = Date.now();
      ws.send(
        JSON.stringify({
          type: "hello",
          machine: hostname(),
          hostname: hostname(),
          repo_root: this.o.root,
          repo_name: basename(this.o.root),
          pid: process.pid,
        }),
      );
      const after = this.#lostAt === null ? "" : ` after ${seconds(Date.now() - this.#lostAt)} away`;
      this.o.log(`connected to room ${this.o.room} at ${this.o.url}${after}`);
      this.#lostAt = null;
      this.#lastReason = "";
      this.#everConnected = true;
      this.#ping = setInterval(() => this.#heartbeat(ws), PING_EVERY_MS);
    });
    ws.addEventListener("message", (m) => {
      this.#lastFrameAt = Date.now();
      if (m.data === "pong") return;
      let frame: Frame;
      try {
        frame = JSON.parse(String(m.data)) as Frame;
      } catch {
        return; // Not ours to understand; the room only sends JSON.
      }
      void this.#onFrame(ws, frame).catch((err) => this.o.log(`could not handle a ${frame.type} frame: ${err}`));
    });
    ws.addEventListener("close", (e) => {
      clearTimeout(opening);
      this.#lost(ws, e.reason || `closed (${e.code})`);
    });
    // Node's WebSocket fires error without close on a refused connection: reconnect from here too.
    ws.addEventListener("error", (e) => {
      clearTimeout(opening);
      const msg = (e as ErrorEvent).message;
      this.#lost(ws, msg && !/non-101/.test(msg) ? msg : "could not connect");
    });
  }

  /** A link that stopped answering (a sleeping laptop, a dead NAT entry) is closed and redialled. */
  #heartbeat(ws: WebSocket): void {
    if (this.#ws !== ws) return;
    if (Date.now() - this.#lastFrameAt > PING_EVERY_MS + SILENCE_LIMIT_MS) {
      this.#lost(ws, "the room stopped answering");
      return;
    }
    try {
      ws.send("ping");
    } catch {
      this.#lost(ws, "send failed");
    }
  }

  /** Called once per socket however it ended; schedules the next attempt, logging when the state changes. */
  #lost(ws: WebSocket, reason: string): void {
    if (this.#ws !== ws) return;
    this.#ws = null;
    if (this.#ping) clearInterval(this.#ping);
    this.#ping = null;
    try {
      ws.close();
    } catch {
      // Already closing.
    }
    if (this.#stopped) return;
    // Only a link that held for a while resets the backoff: a room that accepts and at once closes
    // (a revoked token, a refused hello) must not be redialled several times a second.
    if (this.#openedAt !== null && Date.now() - this.#openedAt > STABLE_MS) this.#attempt = 0;
    this.#openedAt = null;
    const wait = backoffMs(this.#attempt++);
    const first = this.#lostAt === null;
    if (first) this.#lostAt = Date.now();
    this.#timer = setTimeout(() => this.#connect(), wait);
    void this.#explain(reason).then((why) => {
      if (this.#stopped || this.connected) return;
      if (first && !this.#everConnected)
        this.o.log(`cannot reach room ${this.o.room} yet (${why}); retrying, next try in ${seconds(wait)}`);
      else if (first) this.o.log(`connection to room ${this.o.room} lost (${why}); reconnecting, next try in ${seconds(wait)}`);
      else if (why !== this.#lastReason) this.o.log(`still reconnecting: ${why}; next try in ${seconds(wait)}`);
      this.#lastReason = why;
    });
  }

  /** The WebSocket error says little; /health and the room say whether the server is down or the token refused. */
  async #explain(reason: string): Promise<string> {
    const check = await checkServer(this.o, 3_000).catch(() => null);
    return check && !check.ok ? check.message : reason;
  }

  async #onFrame(ws: WebSocket, frame: Frame): Promise<void> {
    if (frame.type === "welcome" && this.lastSeq === null) this.#saveSeq(Number(frame.last_seq));
    if (frame.type === "event") await this.#onEvent(frame.event as RoomEvent);
    if (frame.type === "request") ws.send(JSON.stringify(await this.#answer(frame)));
    if (frame.type === "error") this.o.log(`room says: ${String(frame.message)}`);
  }

  async #onEvent(e: RoomEvent): Promise<void> {
    // Replays after a reconnect start after lastSeq; the set also guards against overlaps.
    if (this.seen.has(e.seq) || (this.lastSeq !== null && e.seq <= this.lastSeq)) return;
    this.seen.add(e.seq);
    this.#saveSeq(e.seq);
    const note = noteFor(e, this.o.agents);
    if (note) await this.o.notify(note).catch((err) => this.o.log(`notification failed: ${err}`));
  }

  async #answer(frame: Frame): Promise<Frame> {
    const id = frame.id;
    const p = (frame.params ?? {}) as Record<string, unknown>;
    try {
      const text = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
      switch (frame.method) {
        case "worktree.create":
          return {
            type: "response",
            id,
            result: await createWorktree(this.o.root, text("agent"), text("task_id"), text("base_branch") || undefined),
          };
        case "worktree.remove":
          return { type: "response", id, result: await removeWorktree(this.o.root, text("agent"), text("task_id"), p.force === true) };
        case "worktree.list":
          return { type: "response", id, result: { repository: this.o.root, worktrees: await listWorktrees(this.o.root) } };
        default:
          return { type: "response", id, error: { code: "unknown_method", message: `masc-agent does not know ${String(frame.method)}` } };
      }
    } catch (err) {
      return { type: "response", id, error: { code: "failed", message: err instanceof Error ? err.message : String(err) } };
    }
  }

  #loadSeq(): number | null {
    const f = this.o.stateFile;
    if (!f || !existsSync(f)) return null;
    try {
      const v = (JSON.parse(readFileSync(f, "utf8")) as { rooms?: Record<string, number> }).rooms?.[`${this.o.url}|${this.o.room}`];
      return typeof v === "number" ? v : null;
    } catch {
      return null;
    }
  }

  #saveSeq(seq: number): void {
    if (!Number.isFinite(seq)) return;
    this.lastSeq = seq;
    const f = this.o.stateFile;
    if (!f) return;
    let state: { rooms: Record<string, number> } = { rooms: {} };
    try {
      if (existsSync(f)) state = JSON.parse(readFileSync(f, "utf8"));
    } catch {
      // A damaged state file only costs a replay from now on.
    }
    state.rooms = { ...state.rooms, [`${this.o.url}|${this.o.room}`]: seq };
    writeFileSync(f, JSON.stringify(state));
  }
}

export function stateFileFor(gitDir: string): string {
  return join(gitDir, "masc-agent.json");
}
