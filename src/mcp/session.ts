import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { SessionApi } from "../room/api";
import type { Caller } from "../room/auth";
import type { Db } from "../room/sql";
import { type Category, categoriesFor, DEFAULT_MODE, type Mode } from "./modes";

export interface SessionRow {
  id: string;
  agent: string | null;
  mode: Mode;
  categories: string;
  init: string;
  created_at: number;
  last_seen: number;
}

export function insertSession(db: Db, id: string, init: unknown, now: number): void {
  db.run(
    "INSERT INTO sessions (id, agent, mode, categories, init, created_at, last_seen) VALUES (?, NULL, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    id,
    DEFAULT_MODE,
    JSON.stringify(categoriesFor(DEFAULT_MODE)),
    JSON.stringify(init),
    now,
    now,
  );
}

/** One live MCP session: its SDK server and transport, and its row in SQLite. */
export class McpSession implements SessionApi {
  agent: string | null;
  mode: Mode;
  categories: readonly Category[];
  /** Set from each HTTP request before the transport sees it. */
  caller: Caller | null = null;
  /** Resource URIs this session subscribed to. */
  readonly subscriptions = new Set<string>();

  constructor(
    private readonly db: Db,
    row: SessionRow,
    readonly server: Server,
    readonly transport: WebStandardStreamableHTTPServerTransport,
  ) {
    this.id = row.id;
    this.agent = row.agent;
    this.mode = row.mode;
    this.categories = JSON.parse(row.categories) as Category[];
  }

  readonly id: string;

  bindAgent(agent: string): void {
    if (this.agent === agent) return;
    this.agent = agent;
    this.db.run("UPDATE sessions SET agent = ? WHERE id = ?", agent, this.id);
  }

  setMode(mode: Mode, categories: readonly Category[]): void {
    const changed = categories.join() !== this.categories.join();
    this.mode = mode;
    this.categories = categories;
    this.db.run("UPDATE sessions SET mode = ?, categories = ? WHERE id = ?", mode, JSON.stringify(categories), this.id);
    if (changed) void this.server.sendToolListChanged().catch(() => undefined);
  }
}
