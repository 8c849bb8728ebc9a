import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  isInitializeRequest,
  type JSONRPCMessage,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { authEnabled, type Caller, identityOf, stillValid } from "../room/auth";
import type { Db } from "../room/sql";
import { ASK_TIMEOUT_MS, answerAsk, askOfCall, askReplyOf, closeAsk, openAsk } from "./approval-asks";
import { APPROVAL_FORM, answer, mayAnswerInClient, question, raisedOf } from "./approvals";
import { authInfoOf, callerOf, relayOf } from "./auth-info";
import { callTool } from "./call";
import type { ToolContext } from "./define";
import { type PushPosition, SqlEventStore } from "./event-store";
import { categoriesFor, DEFAULT_MODE, INSTRUCTIONS, type Mode } from "./modes";
import { answerPlain, type PlainCall, plainCallOf, WAITING } from "./plain-call";
import { listFor, TOOLS_BY_NAME } from "./registry";
import { RelayCall } from "./relay-call";
import type { RoomApi } from "./room-port";
import { checkRpcBody, forbiddenKeyProblem, rpcProblemResponse } from "./rpc-params";
import { insertSession, McpSession, negotiatedVersion, type SessionRow } from "./session";
import { type Notify, progressCallOf, streamedCall } from "./streamed-call";
import { jsonSchemaValidator } from "./validator";

/** What the session layer needs from its room. */
export interface SessionHost {
  readonly db: Db;
  readonly room: RoomApi;
  /** Called after every tool call, so new room events reach every listener. */
  afterCall(): void;
  /** Lets other modules add request handlers (resources …) to each new server. */
  extendServer?(server: Server, session: McpSession): void;
  /** Records one tool call for the room's metrics. */
  observe?(tool: string, ms: number, outcome: "ok" | "error"): void;
  /** Called when a session was rebuilt after eviction, before its request is handled. */
  onRestored?(session: McpSession): Promise<void>;
  /** Where the session's push stands, so its GET stream can be resumed. */
  pushPosition?(session: McpSession): PushPosition | undefined;
  /** Each message of a session's GET stream, with its event id, for the relay to send. */
  deliver?(sessionId: string, id: string, message: JSONRPCMessage): void;
  /** A session was deleted by its client. */
  sessionClosed?(sessionId: string): void;
  /** Whether the session's client holds its GET stream open (through the Worker's relay). */
  streaming?(sessionId: string): boolean;
  /** An approval question was answered: the Worker's wait for it ends. */
  askAnswered?(id: string): void;
}

function rpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });
}

const noProgress: Notify = async () => {};

/** Tools whose wait may be handed to the Worker. */
const DEFERRING: ReadonlySet<string> = new Set(["masc_listen", "masc_interrupt"]);

function initializeOf(body: unknown): JSONRPCMessage | undefined {
  const messages = Array.isArray(body) ? body : [body];
  return messages.find((m) => isInitializeRequest(m)) as JSONRPCMessage | undefined;
}

/**
 * All MCP sessions of one room. A session's row (initialize request, mode, agent) lives in SQLite,
 * so after eviction or a restart the session is rebuilt by replaying its initialize request.
 */
export class McpSessions {
  readonly #live = new Map<string, McpSession>();
  readonly #restoring = new Map<string, Promise<McpSession | undefined>>();
  readonly #inflight = new Set<{ caller: Caller | null; ended: AbortController }>();

  constructor(
    private readonly host: SessionHost,
    private readonly version: string,
  ) {}

  get live(): Iterable<McpSession> {
    return this.#live.values();
  }

  get size(): number {
    return this.#live.size;
  }

  /**
   * A 2025-era request, its POST body already parsed; `mode` is the URL's, for a new session;
   * `known` the plain call the endpoint already recognized in it, if any.
   */
  async handle(req: Request, caller: Caller | null, body: unknown, mode: Mode = DEFAULT_MODE, known?: PlainCall): Promise<Response> {
    if (req.method === "POST") {
      // A plain call was recognized by its shape, which the params schema always accepts (a name,
      // an arguments object, `_meta`): of the check only its refusal of prototype keys can apply.
      const prototypeKey = known ? forbiddenKeyProblem(body as Record<string, unknown>) : null;
      const problems = known ? (prototypeKey ? [prototypeKey] : []) : checkRpcBody(body);
      if (problems.length > 0) return rpcProblemResponse(body, problems);
    }
    const sid = req.headers.get("mcp-session-id");
    if (!sid) {
      const init = req.method === "POST" ? initializeOf(body) : undefined;
      if (!init) return rpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required (initialize first)");
      const session = this.#build(crypto.randomUUID(), init, undefined, mode);
      session.owner = identityOf(caller);
      return session.transport.handleRequest(req, { parsedBody: body, authInfo: authInfoOf(caller) });
    }
    const session = this.#live.get(sid) ?? (await this.#restore(sid));
    if (!session) return rpcError(404, -32001, "Session not found");
    const admitted = session.admits(caller);
    if (admitted === "ended") {
      this.forget(session);
      return rpcError(404, -32001, "Session not found: it was opened before auth was turned on; initialize again with your token");
    }
    if (admitted === "forbidden") {
      return rpcError(403, -32000, "Forbidden: this session was opened with another identity; initialize a session of your own");
    }
    const reply = req.method === "POST" ? askReplyOf(body) : undefined;
    if (reply && (await answerAsk(this.host.db, this.host.room, session.id, caller, reply))) {
      this.host.afterCall();
      this.host.askAnswered?.(reply.id);
      return new Response(null, { status: 202 });
    }
    const relay = req.method === "POST" ? RelayCall.of(req, body) : undefined;
    const plain = req.method === "POST" ? (known ?? plainCallOf(req, body)) : undefined;
    if (plain) {
      const res = await answerPlain(session.id, plain, () => this.#runTool(session, caller, plain.params, req.signal, noProgress, relay));
      if (!relay?.deferred) return res;
      await res.body?.cancel();
      return relay.answer(body);
    }
    const progressCall = req.method === "POST" ? progressCallOf(body) : undefined;
    if (progressCall) {
      // masc_listen and masc_interrupt report no progress but may wait: they run first, so that a
      // wait goes to the Worker.
      let early: Promise<CallToolResult> | undefined;
      if (DEFERRING.has(progressCall.params.name) && relay?.canDefer) {
        early = this.#runTool(session, caller, progressCall.params, req.signal, async () => {}, relay);
        await early.catch(() => undefined);
        if (relay.deferred) return relay.answer(body);
      }
      return streamedCall(req, session.id, progressCall, async (notify, signal) => {
        try {
          return { result: await (early ?? this.#runTool(session, caller, progressCall.params, signal, notify, relay)) };
        } catch (err) {
          if (err instanceof McpError) return { error: { code: err.code, message: err.message } };
          throw err;
        }
      });
    }
    const res = await session.transport.handleRequest(req, { parsedBody: body, authInfo: authInfoOf(caller, relay) });
    if (!relay?.deferred) return res;
    await res.body?.cancel();
    return relay.answer(body);
  }

  /** The session, live or restored from SQLite; undefined when there is no such session. */
  async find(id: string): Promise<McpSession | undefined> {
    return this.#live.get(id) ?? (await this.#restore(id));
  }

  /**
   * After an auth change: sessions opened without a credential end once auth is on (clients
   * initialize again with a token), and a GET stream opened with a credential that was revoked,
   * refreshed or expired is closed (the client reconnects with its current token, or cannot).
   */
  endInvalid(now: number = Date.now()): void {
    const { db } = this.host;
    // GET streams are relay sockets now; the room's relay closes those of a credential that ended.
    if (authEnabled(db)) for (const session of [...this.#live.values()]) if (session.owner === null) this.forget(session);
    for (const call of this.#inflight) if (!stillValid(db, now, call.caller)) call.ended.abort();
  }

  /**
   * Drops a session: its GET stream closes and its id is unknown from now on. The transport is not
   * closed, since the request that caused this (turning auth on) is still waiting for its reply.
   */
  forget(session: McpSession): void {
    this.host.sessionClosed?.(session.id);
    this.#live.delete(session.id);
    this.host.db.run("DELETE FROM sessions WHERE id = ?", session.id);
    this.host.db.run("DELETE FROM sse_events WHERE session_id = ?", session.id);
  }

  /** Ends every live session's streams, e.g. before the room shuts down in tests. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#live.values()].map((s) => s.transport.close()));
    this.#live.clear();
  }

  #build(id: string, init: JSONRPCMessage, row?: SessionRow, mode: Mode = DEFAULT_MODE): McpSession {
    const { db } = this.host;
    const server = new Server(
      { name: "masc", version: this.version },
      {
        capabilities: { tools: { listChanged: true }, logging: {}, resources: { subscribe: true, listChanged: false } },
        instructions: INSTRUCTIONS,
        jsonSchemaValidator,
      },
    );
    const store = new SqlEventStore(
      db,
      id,
      () => this.host.room.codec,
      () => this.host.pushPosition?.(session),
      (eventId, message) => this.host.deliver?.(id, eventId, message),
    );
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: store,
      retryInterval: 1000,
      // Replies as plain JSON: cheaper than an SSE stream per call. What the server says on its own
      // (room pushes) travels on the session's GET stream, where it is also persisted; calls that
      // asked for progress are streamed by streamedCall.
      enableJsonResponse: true,
      onsessioninitialized: (sid) => {
        insertSession(db, sid, init, Date.now(), session.owner, session.mode);
        this.#live.set(sid, session);
      },
      onsessionclosed: (sid) => {
        this.#live.delete(sid);
        db.run("DELETE FROM sessions WHERE id = ?", sid);
        db.run("DELETE FROM sse_events WHERE session_id = ?", sid);
        this.host.sessionClosed?.(sid);
      },
    });
    const fresh: SessionRow = row ?? {
      id,
      agent: null,
      mode,
      categories: JSON.stringify(categoriesFor(mode)),
      init: "",
      created_at: 0,
      last_seen: 0,
      owner: null,
      log_level: null,
    };
    const session = new McpSession(db, fresh, server, transport, store);
    session.protocolVersion = negotiatedVersion(init);
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listFor(session.mode, session.categories) as never }));
    // Replaces the SDK's handler, whose level lives only in memory and is lost on eviction.
    server.setRequestHandler(SetLevelRequestSchema, (request) => {
      session.setLogLevel(request.params.level);
      return {};
    });
    // Calls that asked for progress are answered by streamedCall; here progress has nowhere to go.
    server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.#runTool(session, callerOf(extra.authInfo), request.params, extra.signal, async () => {}, relayOf(extra.authInfo)),
    );
    this.host.extendServer?.(server, session);
    void server.connect(transport);
    return session;
  }

  async #runTool(
    session: McpSession,
    caller: Caller | null,
    params: CallToolRequest["params"],
    signal: AbortSignal,
    progress: Notify,
    relay?: RelayCall,
  ): Promise<CallToolResult> {
    const tool = TOOLS_BY_NAME.get(params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
    // The Worker's repeat after it waited for an approval question: the outcome, no new checkpoint.
    const ask = relay?.waited && tool.name === "masc_interrupt" ? askOfCall(params._meta) : undefined;
    if (ask) return closeAsk(this.host.db, this.host.room, session.id, ask);
    // A call still waiting (masc_listen) when its credential ends is cut short by endInvalid; no
    // other tool waits on its signal, so they need no second one.
    const inflight = WAITING.has(tool.name) ? { caller, ended: new AbortController() } : undefined;
    if (inflight) this.#inflight.add(inflight);
    const both = inflight ? AbortSignal.any([signal, inflight.ended.signal]) : signal;
    const ctx: ToolContext = { db: this.host.db, now: Date.now(), room: this.host.room, session, caller, signal: both, progress, relay };
    let result: CallToolResult;
    try {
      result = await callTool(tool, params.arguments, ctx);
      this.host.observe?.(tool.name, Date.now() - ctx.now, result.isError ? "error" : "ok");
    } finally {
      if (inflight) this.#inflight.delete(inflight);
      this.host.afterCall();
    }
    if (tool.name !== "masc_interrupt" || result.isError || !mayAnswerInClient(caller)) return result;
    return this.#askInClient(session, result, signal, relay);
  }

  /**
   * 2025 era: when the client can show a form and holds its GET stream (where a server request
   * travels), the interrupt's question goes to the human there with `elicitation/create`; the call
   * returns the decision. Otherwise, or when nobody answers, the call returns the pending checkpoint.
   * Through the Worker the wait is the Worker's (decision 0036): the question is sent and stored,
   * and the call is answered at once with what to wait for.
   */
  async #askInClient(session: McpSession, result: CallToolResult, signal: AbortSignal, relay?: RelayCall): Promise<CallToolResult> {
    const first = result.content[0];
    const text = first?.type === "text" ? first.text : undefined;
    const raised = raisedOf(text);
    if (!raised || !session.server.getClientCapabilities()?.elicitation || !this.host.streaming?.(session.id)) return result;
    if (relay?.canDefer && text !== undefined) {
      const { id, request } = await openAsk(this.host.db, this.host.room, session.id, raised, text, Date.now());
      await session.transport.send(request);
      relay.defer({ agent: raised.agent, after: 0, scope: "all", timeout_ms: ASK_TIMEOUT_MS, ask: id });
      return result;
    }
    let content: unknown;
    try {
      const reply = await session.server.elicitInput(
        { message: question(raised), requestedSchema: APPROVAL_FORM },
        { timeout: ASK_TIMEOUT_MS, signal },
      );
      content = reply.action === "accept" ? reply.content : undefined;
    } catch {
      return result;
    }
    try {
      const out = await answer(this.host.db, this.host.room, raised, content);
      return { content: [{ type: "text", text: JSON.stringify(out) }] };
    } finally {
      this.host.afterCall();
    }
  }

  #restore(id: string): Promise<McpSession | undefined> {
    let pending = this.#restoring.get(id);
    if (!pending) {
      pending = this.#replay(id).finally(() => this.#restoring.delete(id));
      this.#restoring.set(id, pending);
    }
    return pending;
  }

  async #replay(id: string): Promise<McpSession | undefined> {
    const row = this.host.db.one<SessionRow>("SELECT * FROM sessions WHERE id = ?", id);
    if (!row) return undefined;
    const init = JSON.parse(row.init) as JSONRPCMessage;
    const session = this.#build(id, init, row);
    // Replaying the stored initialize request restores the SDK's session state and the client's
    // capabilities exactly as negotiated; the reply is discarded.
    const replay = new Request("https://room.internal/mcp", {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: JSON.stringify(init),
    });
    const response = await session.transport.handleRequest(replay, { parsedBody: init });
    await response.text();
    const restored = this.#live.get(id);
    if (restored) await this.host.onRestored?.(restored);
    return restored;
  }
}
