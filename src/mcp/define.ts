import type * as z from "zod";
import type { Caller } from "../room/auth";
import type { Db } from "../room/sql";
import type { ListenWait } from "../wire/relay-frames";
import type { Category } from "./modes";
import type { RoomApi, SessionApi } from "./room-port";

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

export interface ToolContext {
  db: Db;
  /** Milliseconds since the epoch, fixed for the whole call. */
  now: number;
  room: RoomApi;
  session: SessionApi;
  /**
   * Who sent this request, when the room has auth on; null with auth off. Per request, not per
   * session: two requests on one session may be in flight at once.
   */
  caller: Caller | null;
  signal: AbortSignal;
  /** Sends notifications/progress for this request when the client asked for progress. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Present when the Worker can wait for this call instead of the room (decision 0019). */
  relay?: WaitRelay;
}

export interface WaitRelay {
  /** Whether a wait can be handed to the Worker: then the call returns at once and is repeated after. */
  readonly canDefer: boolean;
  defer(wait: ListenWait): void;
  /** On the repeated call: how the Worker's wait went. */
  readonly waited: { ms: number; timedOut: boolean } | null;
}

/** A tool result: plain text, or an object sent as compact JSON text. */
export type ToolOutput = string | object;

export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: `masc_${string}`;
  category: Category;
  /** One line: what it does and when to use it. Field details go on the field schemas. */
  description: string;
  input: S;
  annotations: ToolAnnotations;
  /**
   * The result depends on nothing but the room's stored data, the arguments and what the caller
   * may see: while no write happened, the same call is answered from memory.
   */
  cacheable?: true;
  handler(args: z.output<z.ZodObject<S>>, ctx: ToolContext): ToolOutput | Promise<ToolOutput>;
}

/** Returns its argument, so a tool's argument types flow from its zod shape. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef<S> {
  return def;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of every input shape.
export type AnyTool = ToolDef<any>;

/**
 * Checks every call passes before its handler runs (auth, rate limits …). A guard throws a
 * MascError to refuse; it sees arguments already validated by the tool's schema.
 */
export type Guard = (tool: AnyTool, args: Record<string, unknown>, ctx: ToolContext) => void;

/** Text blocks added after a successful result (e.g. an unread-messages hint); null adds nothing. */
export type Decorator = (tool: AnyTool, args: Record<string, unknown>, ctx: ToolContext) => string | null;
