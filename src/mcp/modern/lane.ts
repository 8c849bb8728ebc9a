import {
  type CallToolResult,
  createMcpHandler,
  inputRequired,
  type McpHttpHandler,
  ProtocolError,
  ProtocolErrorCode,
  preloadSchemas,
  type RequestStateCodec,
  ResourceNotFoundError,
  Server,
  type ServerContext,
  type ServerEventBus,
} from "@modelcontextprotocol/server";
import type { Caller } from "../../room/auth";
import { lastSeq, type RoomEvent } from "../../room/events";
import type { Db } from "../../room/sql";
import { ANYONE, canSee } from "../../room/visibility";
import { APPROVAL_FORM, answer, mayAnswerInClient, question, raisedOf } from "../approvals";
import { authInfoOf, callerOf as callerOfInfo, relayOf } from "../auth-info";
import { callTool } from "../call";
import type { AnyTool, ToolContext } from "../define";
import { categoriesFor, INSTRUCTIONS, type Mode, modeOfUrl } from "../modes";
import { WATCHED } from "../push";
import { listFor, TOOLS_BY_NAME } from "../registry";
import { RelayCall } from "../relay-call";
import { RESOURCE_LIST, RESOURCE_TEMPLATES, readResource } from "../resources";
import type { RoomApi } from "../room-port";
import { callFixture, FIXTURE_TOOLS } from "./fixtures";
import { handOffListen, isRelayedListen } from "./listen-handoff";
import { answerModernPlain, type ModernPlainCall } from "./plain-call";
import { RequestSession } from "./request-session";
import { type ApprovalState, approvalCodec } from "./state-key";

/** What the modern lane needs from its room. */
export interface ModernHost {
  readonly db: Db;
  readonly room: RoomApi;
  afterCall(): void;
  observe?(tool: string, ms: number, outcome: "ok" | "error"): void;
}

export interface ModernOptions {
  /** The conformance suite's diagnostic tools (MASC_CONFORMANCE=1); never in a normal deployment. */
  fixtures?: boolean;
  /** Where open listen streams get room changes from; the SDK's in-isolate bus by default. */
  bus?: ServerEventBus;
}

// The SDK builds its wire schemas lazily; building them while the isolate starts keeps that work
// out of the first request's CPU time (the SDK's advice for isolate runtimes).
preloadSchemas();

const NO_PROGRESS: ToolContext["progress"] = async () => {};

const LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"] as const;

/** Lists do not vary by caller or request (the mode is in the URL), so clients may keep them a while. */
const CACHE_HINTS = {
  "tools/list": { ttlMs: 300_000, cacheScope: "public" as const },
  "resources/list": { ttlMs: 300_000, cacheScope: "public" as const },
  "resources/templates/list": { ttlMs: 300_000, cacheScope: "public" as const },
  "prompts/list": { ttlMs: 300_000, cacheScope: "public" as const },
  "server/discover": { ttlMs: 300_000, cacheScope: "public" as const },
  // Room state, per reader: always fresh.
  "resources/read": { ttlMs: 0, cacheScope: "private" as const },
};

/** The reserved `_meta` keys of the request (the SDK's type for them is empty in 2.4). */
interface Envelope {
  "io.modelcontextprotocol/logLevel"?: string;
  "io.modelcontextprotocol/clientCapabilities"?: { elicitation?: unknown };
}

function envelopeOf(ctx: ServerContext): Envelope {
  return (ctx.mcpReq.envelope ?? {}) as Envelope;
}

function callerOf(ctx: ServerContext): Caller | null {
  return callerOfInfo(ctx.http?.authInfo);
}

/**
 * The resources a batch of room events changed: all a listen stream needs from the room (the
 * content is read back by cursor), so the room sends only these URIs to the Worker that holds the
 * stream (decision 0019).
 */
export function changedResources(events: readonly RoomEvent[]): string[] {
  return Object.entries(WATCHED)
    .filter(([, changed]) => events.some(changed))
    .map(([uri]) => uri);
}

/**
 * The 2026-07-28 lane of a room's MCP endpoint: every request stands alone (no session load), served
 * by the v2 SDK's handler, which owns the wire rules (envelope and header checks, server/discover,
 * cache fields, the listen stream's ack and subscription ids). Open `subscriptions/listen` streams
 * are handed to the Worker after the ack (decision 0019).
 */
export class ModernLane {
  readonly #handler: McpHttpHandler;
  readonly #serverInfo: { name: string; version: string };
  #codec: Promise<RequestStateCodec<ApprovalState>> | undefined;

  constructor(
    private readonly host: ModernHost,
    version: string,
    private readonly options: ModernOptions = {},
  ) {
    this.#serverInfo = { name: "masc", version };
    // The codec (and the room's key) is made on first use: most rooms never seal a requestState.
    const verify = async (state: string, ctx: ServerContext) => (await this.#approvals()).verify(state, ctx);
    this.#handler = createMcpHandler(({ requestInfo }) => this.#server(requestInfo ? new URL(requestInfo.url) : undefined, verify), {
      legacy: "reject",
      ...(options.bus ? { bus: options.bus } : {}),
      onerror: () => undefined,
    });
  }

  async fetch(req: Request, caller: Caller | null, parsedBody: unknown): Promise<Response> {
    const relay = RelayCall.of(req, parsedBody);
    const authInfo = authInfoOf(caller, relay);
    const res = await this.#handler.fetch(req, { parsedBody, ...(authInfo ? { authInfo } : {}) });
    // Long waits are held by the Worker, not the room (decision 0019).
    if (isRelayedListen(req, parsedBody)) {
      return handOffListen(res, parsedBody as { id: string | number }, lastSeq(this.host.db), this.#serverInfo);
    }
    if (!relay?.deferred) return res;
    await res.body?.cancel();
    return relay.answer(parsedBody);
  }

  /**
   * A plain tools/call (decision 0028), recognized by the endpoint: run as the SDK's handler would
   * run it (same session, context and bookkeeping) and answered as it would answer, without it.
   */
  answerPlain(req: Request, caller: Caller | null, call: ModernPlainCall, mode: Exclude<Mode, "custom">, body: unknown): Promise<Response> {
    const tool = TOOLS_BY_NAME.get(call.name) as AnyTool;
    return answerModernPlain(call, this.#serverInfo, async () => {
      try {
        return await this.#run(tool, call.arguments, this.#toolContext(mode, caller, RelayCall.of(req, body), req.signal, NO_PROGRESS));
      } finally {
        this.host.afterCall();
      }
    });
  }

  /**
   * Room events become `notifications/resources/updated` for the resources they change. The SDK's
   * bus tells every stream it holds alike, whoever opened it, so only changes anyone may see go
   * on it; the Worker-held streams are told per caller (RoomRelay.tellSubscriptions).
   */
  publish(events: readonly RoomEvent[]): void {
    // Every stream on the SDK's bus hears only what anyone may see.
    for (const uri of changedResources(events.filter((e) => canSee(ANYONE, e)))) this.#handler.notify.resourceUpdated(uri);
  }

  close(): Promise<void> {
    return this.#handler.close();
  }

  #approvals(): Promise<RequestStateCodec<ApprovalState>> {
    this.#codec ??= approvalCodec(this.host.db, this.host.room.codec, () => this.host.room.name).catch((err: unknown) => {
      // A key that cannot be opened now (say, MASC_ENCRYPTION_KEY missing) is tried again next time.
      this.#codec = undefined;
      throw err;
    });
    return this.#codec;
  }

  #server(url: URL | undefined, verify: (s: string, c: ServerContext) => Promise<unknown>): Server {
    // The endpoint already refused an unknown mode with a 400; this only reads it.
    const parsed = url ? modeOfUrl(url.href) : undefined;
    const mode = parsed && "mode" in parsed ? parsed.mode : "standard";
    const server = new Server(this.#serverInfo, {
      capabilities: {
        // The list is fixed per URL in this era: it never changes under a client.
        tools: { listChanged: false },
        resources: { subscribe: true, listChanged: false },
        prompts: { listChanged: false },
        logging: {},
      },
      instructions: INSTRUCTIONS,
      cacheHints: CACHE_HINTS,
      requestState: { verify },
    });
    const tools = listFor(mode, categoriesFor(mode));
    server.setRequestHandler("tools/list", () => ({ tools: (this.options.fixtures ? [...tools, ...FIXTURE_TOOLS] : tools) as never }));
    server.setRequestHandler("tools/call", (request, ctx) => this.#call(mode, request.params, ctx));
    server.setRequestHandler("resources/list", () => ({ resources: RESOURCE_LIST }));
    // No prompts yet; an empty, cacheable list beats a -32601 for clients that ask.
    server.setRequestHandler("prompts/list", () => ({ prompts: [] }));
    server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
    server.setRequestHandler("resources/read", async (request, ctx) => {
      const read = await readResource(this.host, request.params.uri, callerOf(ctx));
      if (read === undefined) throw new ResourceNotFoundError(request.params.uri);
      if ("error" in read) throw new ProtocolError(ProtocolErrorCode.InvalidParams, read.error);
      return { contents: [{ uri: request.params.uri, mimeType: "application/json", text: JSON.stringify(read.value) }] };
    });
    return server;
  }

  async #call(
    mode: Exclude<Mode, "custom">,
    params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
    ctx: ServerContext,
  ) {
    const tool = TOOLS_BY_NAME.get(params.name);
    if (!tool) {
      const fixture = this.options.fixtures ? await callFixture(params.name, ctx) : undefined;
      if (fixture) return fixture;
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
    }
    const caller = callerOf(ctx);
    const token = ctx.mcpReq._meta?.progressToken;
    const level = envelopeOf(ctx)["io.modelcontextprotocol/logLevel"];
    const progress: ToolContext["progress"] = async (progress, total, message) => {
      if (token === undefined) return;
      await ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken: token, progress, total, message } });
    };
    const toolCtx = this.#toolContext(mode, caller, relayOf(ctx.http?.authInfo), ctx.mcpReq.signal, progress);
    try {
      if (tool.name === "masc_interrupt") {
        const state = ctx.mcpReq.requestState<ApprovalState>();
        // The retry after the human answered: apply the answer, never raise a second interrupt.
        if (state) return this.#answered(state, params.arguments, ctx, caller);
      }
      const result = await this.#run(tool, params.arguments, toolCtx);
      await this.#log(ctx, level, result);
      if (tool.name === "masc_interrupt" && !result.isError && mayAnswerInClient(caller)) return this.#ask(result, ctx);
      return result;
    } finally {
      this.host.afterCall();
    }
  }

  /** What a tool runs with in this era: a session that lives for the request, the caller's identity. */
  #toolContext(
    mode: Exclude<Mode, "custom">,
    caller: Caller | null,
    relay: RelayCall | undefined,
    signal: AbortSignal,
    progress: ToolContext["progress"],
  ): ToolContext {
    const session = new RequestSession(caller?.agent ?? null, mode);
    return { db: this.host.db, now: Date.now(), room: this.host.room, session, caller, signal, relay, progress };
  }

  /** The call itself, and its outcome for the room's telemetry. */
  async #run(tool: AnyTool, args: Record<string, unknown> | undefined, ctx: ToolContext): Promise<CallToolResult> {
    const result = await callTool(tool, args, ctx);
    this.host.observe?.(tool.name, Date.now() - ctx.now, result.isError ? "error" : "ok");
    return result;
  }

  /** Per-request logging (2026-07-28): the hints of a result, on this request's own stream, when asked. */
  async #log(ctx: ServerContext, level: string | undefined, result: CallToolResult): Promise<void> {
    if (!level || LEVELS.indexOf(level as (typeof LEVELS)[number]) > LEVELS.indexOf("info")) return;
    for (const block of result.content.slice(1)) {
      if (block.type === "text") {
        await ctx.mcpReq.notify({ method: "notifications/message", params: { level: "info", logger: "masc", data: block.text } });
      }
    }
  }

  /** When the client can show a form, the interrupt's question goes to the human right there. */
  async #ask(result: CallToolResult, ctx: ServerContext) {
    const caps = envelopeOf(ctx)["io.modelcontextprotocol/clientCapabilities"];
    const first = result.content[0];
    const raised = raisedOf(first?.type === "text" ? first.text : undefined);
    if (!caps?.elicitation || !raised) return result;
    const requestState = await (await this.#approvals()).mint(
      { room: this.host.room.name, task_id: raised.task_id, checkpoint: raised.checkpoint, agent: raised.agent },
      ctx,
    );
    return inputRequired({
      inputRequests: { approval: inputRequired.elicit({ message: question(raised), requestedSchema: APPROVAL_FORM }) },
      requestState,
    });
  }

  async #answered(
    state: ApprovalState,
    args: Record<string, unknown> | undefined,
    ctx: ServerContext,
    caller: Caller | null,
  ): Promise<CallToolResult> {
    if (!mayAnswerInClient(caller)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        "requestState: your role may not decide approvals (masc_approve needs admin)",
      );
    }
    if (state.room !== this.host.room.name || (args?.task_id !== undefined && args.task_id !== state.task_id)) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, "requestState: it belongs to another room or task");
    }
    const reply = ctx.mcpReq.inputResponses?.approval as { action?: string; content?: unknown } | undefined;
    const content = reply?.action === "accept" ? reply.content : undefined;
    const raised = { ...state, action: "", message: "" };
    const out = await answer(this.host.db, this.host.room, raised, content);
    return { content: [{ type: "text", text: JSON.stringify(out) }] };
  }
}
