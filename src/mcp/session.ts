import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { LATEST_PROTOCOL_VERSION, type LoggingLevel, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { type Caller, identityOf } from "../room/auth";
import type { Db } from "../room/sql";
import type { SqlEventStore } from "./event-store";
import { type Category, categoriesFor, DEFAULT_MODE, type Mode } from "./modes";
import type { SessionApi } from "./room-port";

export interface SessionRow {
  id: string;
  agent: string | null;
  mode: Mode;
  categories: string;
  init: string;
  created_at: number;
  last_seen: number;
  /** identityOf() whoever opened it; null while the room has auth off. */
  owner: string | null;
  /** What the client asked for with logging/setLevel; null: everything. */
  log_level: LoggingLevel | null;
}

/** What a missing MCP-Protocol-Version header means when the session's own version is unknown. */
export const FALLBACK_PROTOCOL_VERSION = "2025-03-26";

/** The version the server answers an initialize request with: the client's when supported, else the latest. */
export function negotiatedVersion(init: unknown): string {
  const asked = (init as { params?: { protocolVersion?: unknown } } | undefined)?.params?.protocolVersion;
  if (typeof asked !== "string") return FALLBACK_PROTOCOL_VERSION;
  return SUPPORTED_PROTOCOL_VERSIONS.includes(asked) ? asked : LATEST_PROTOCOL_VERSION;
}

const LEVELS: readonly LoggingLevel[] = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

export function insertSession(db: Db, id: string, init: unknown, now: number, owner: string | null, mode: Mode = DEFAULT_MODE): void {
  db.run(
    "INSERT INTO sessions (id, agent, mode, categories, init, created_at, last_seen, owner) VALUES (?, NULL, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    id,
    mode,
    JSON.stringify(categoriesFor(mode)),
    JSON.stringify(init),
    now,
    now,
    owner,
  );
}

/** One live MCP session: its SDK server and transport, and its row in SQLite. */
export class McpSession implements SessionApi {
  agent: string | null;
  mode: Mode;
  categories: readonly Category[];
  owner: string | null;
  logLevel: LoggingLevel | null;
  /** Resource URIs this session subscribed to. */
  readonly subscriptions = new Set<string>();
  /**
   * The protocol version this session negotiated at initialize. A request without the
   * MCP-Protocol-Version header means this one (the spec's rule), not the newest.
   */
  protocolVersion: string = FALLBACK_PROTOCOL_VERSION;

  constructor(
    private readonly db: Db,
    row: SessionRow,
    readonly server: Server,
    readonly transport: WebStandardStreamableHTTPServerTransport,
    /** Its GET stream's messages and replay, sent through the Worker's relay. */
    readonly store: SqlEventStore,
  ) {
    this.id = row.id;
    this.agent = row.agent;
    this.mode = row.mode;
    this.categories = JSON.parse(row.categories) as Category[];
    this.owner = row.owner;
    this.logLevel = row.log_level;
  }

  readonly id: string;

  bindAgent(agent: string): void {
    if (this.agent === agent) return;
    this.agent = agent;
    this.db.run("UPDATE sessions SET agent = ? WHERE id = ?", agent, this.id);
  }

  /**
   * A session belongs to the identity that opened it, so one agent's session id cannot be used
   * with another's token. One opened without a credential (auth off, on loopback) ended when auth
   * was turned on: it is never handed to a caller who has one.
   */
  admits(caller: Caller | null): "ok" | "forbidden" | "ended" {
    const who = identityOf(caller);
    if (who === this.owner) return "ok";
    if (this.owner === null) return "ended";
    return who === null ? "ok" : "forbidden";
  }

  /** Kept in SQLite, unlike the SDK's own, so a client's choice survives the room being evicted. */
  setLogLevel(level: LoggingLevel): void {
    this.logLevel = level;
    this.db.run("UPDATE sessions SET log_level = ? WHERE id = ?", level, this.id);
  }

  hears(level: LoggingLevel): boolean {
    return this.logLevel === null || LEVELS.indexOf(level) >= LEVELS.indexOf(this.logLevel);
  }

  setMode(mode: Mode, categories: readonly Category[]): void {
    const changed = mode !== this.mode || categories.join() !== this.categories.join();
    this.mode = mode;
    this.categories = categories;
    this.db.run("UPDATE sessions SET mode = ?, categories = ? WHERE id = ?", mode, JSON.stringify(categories), this.id);
    if (changed) void this.server.sendToolListChanged().catch(() => undefined);
  }
}
