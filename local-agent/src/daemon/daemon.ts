import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
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

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base / 2 + random() * (base / 2));
}

/**
 * The daemon: keeps a WebSocket to the room, resumes from the last seq it saw (so a reconnect
 * neither loses nor repeats a notification), and answers the room's requests for worktrees.
 */
export class Daemon {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
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
    this.#ws?.close();
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
    const ws = new WebSocket(this.#socketUrl());
    this.#ws = ws;
    ws.addEventListener("open", () => {
      this.#attempt = 0;
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
      this.o.log(`connected to room ${this.o.room} at ${this.o.url}`);
    });
    ws.addEventListener("message", (m) => {
      void this.#onFrame(ws, JSON.parse(String(m.data)) as Frame);
    });
    ws.addEventListener("close", () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (this.#stopped) return;
      const wait = backoffMs(this.#attempt++);
      this.o.log(`connection lost; retrying in ${(wait / 1000).toFixed(1)}s`);
      this.#timer = setTimeout(() => this.#connect(), wait);
    });
    ws.addEventListener("error", () => {
      // A close event follows; reconnecting happens there.
    });
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
