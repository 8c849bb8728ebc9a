import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Caller } from "../room/auth";
import type { Db } from "../room/sql";
import { viewerOf } from "../room/visibility";
import { callerOf } from "./auth-info";
import { type SessionPush, WATCHED } from "./push";
import { READERS } from "./resource-readers";
import type { RoomApi } from "./room-port";
import type { McpSession } from "./session";

export interface ResourceHost {
  readonly db: Db;
  readonly room: RoomApi;
  readonly push: SessionPush;
}

export const RESOURCE_LIST = [
  { uri: "room://events", name: "events", description: "Room events meant for you, newest 100; room://events?since=SEQ pages forward" },
  { uri: "masc://status", name: "status", description: "Room summary: agents, task board, messages, locks" },
  { uri: "masc://tasks", name: "tasks", description: "The task board" },
  { uri: "masc://agents", name: "agents", description: "Agents in the room" },
  { uri: "masc://messages", name: "messages", description: "Latest broadcasts and your portal messages" },
  { uri: "masc://events", name: "events (alias)", description: "Same as room://events" },
].map((r) => ({ ...r, mimeType: "application/json" }));

export const RESOURCE_TEMPLATES = [
  { uriTemplate: "room://events{?since}", name: "events after a seq", mimeType: "application/json", description: "Your events after SEQ" },
];

type Parsed = { base: string; since: number | null } | { error: string };

function parse(uri: string): Parsed {
  const [base = uri, query = ""] = uri.split("?", 2);
  const raw = new URLSearchParams(query).get("since");
  if (raw === null) return { base, since: null };
  const since = Number(raw);
  if (!Number.isInteger(since) || since < 0) return { error: `since in ${uri} must be a non-negative integer seq` };
  return { base, since };
}

function parseUri(uri: string): { base: string; since: number | null } {
  const parsed = parse(uri);
  if ("error" in parsed) throw new McpError(ErrorCode.InvalidParams, parsed.error);
  return parsed;
}

/**
 * A resource's value for a reader, for either protocol era: undefined when no such resource,
 * `{ error }` when its query is bad.
 */
export async function readResource(
  host: { db: Db; room: RoomApi },
  uri: string,
  caller: Caller | null,
): Promise<{ value: unknown } | { error: string } | undefined> {
  const parsed = parse(uri);
  if ("error" in parsed) return parsed;
  // Own keys only: a URI like `constructor` must name no reader.
  const reader = Object.hasOwn(READERS, parsed.base) ? READERS[parsed.base] : undefined;
  if (!reader) return undefined;
  const ctx = {
    db: host.db,
    room: host.room,
    agent: caller?.agent ?? null,
    viewer: viewerOf(caller),
    since: parsed.since,
    now: Date.now(),
  };
  return { value: await reader(ctx) };
}

/** MCP resources of the room: read as JSON, subscribe for notifications/resources/updated. */
export function registerResources(server: Server, session: McpSession, host: ResourceHost): void {
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCE_LIST }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req, extra) => {
    const { base, since } = parseUri(req.params.uri);
    const reader = Object.hasOwn(READERS, base) ? READERS[base] : undefined;
    if (!reader) throw new McpError(ErrorCode.InvalidParams, `unknown resource ${req.params.uri}; list them with resources/list`);
    const value = await reader({
      db: host.db,
      room: host.room,
      agent: session.agent,
      viewer: viewerOf(callerOf(extra.authInfo)),
      since,
      now: Date.now(),
    });
    return { contents: [{ uri: req.params.uri, mimeType: "application/json", text: JSON.stringify(value) }] };
  });
  const subscription = (on: boolean) => async (req: { params: { uri: string } }) => {
    const { base } = parseUri(req.params.uri);
    if (!Object.hasOwn(WATCHED, base))
      throw new McpError(ErrorCode.InvalidParams, `cannot subscribe to ${req.params.uri}; known: ${Object.keys(WATCHED).join(", ")}`);
    host.push.subscribe(session, req.params.uri, on);
    return {};
  };
  server.setRequestHandler(SubscribeRequestSchema, subscription(true));
  server.setRequestHandler(UnsubscribeRequestSchema, subscription(false));
}
