import { AGENT_NAME_RE } from "../mcp/fields";
import type { Caller } from "../room/auth";
import type { TextCodec } from "../room/codec";
import { MascError } from "../room/errors";
import {
  CHANNEL_ID_RE,
  DEFAULT_PERMISSION_TTL_S,
  MAX_DESCRIPTION,
  MAX_PERMISSION_TTL_S,
  MAX_PREVIEW,
  type NewPermissionRequest,
  REQUEST_ID_RE,
  requestPermission,
  showPermission,
} from "../room/permission-requests";
import { atLeast } from "../room/permissions";
import type { Db } from "../room/sql";

/** What relaying a prompt needs of the room. */
export interface PermissionRelayRoom {
  readonly db: Db;
  readonly codec: TextCodec;
  channelLive(channel: string): boolean;
  flush(): Promise<void>;
}

const bad = (message: string, status = 400, error = "invalid_input") => Response.json({ error, message }, { status });

/** The body a channel posts, checked field by field; a string names what is wrong. */
function parse(body: Record<string, unknown> | null): NewPermissionRequest | string {
  if (!body) return "the body must be a JSON object";
  const { agent, channel, request_id, tool_name, description, input_preview, ttl_s } = body;
  if (typeof agent !== "string" || !AGENT_NAME_RE.test(agent)) return "agent must be an agent name";
  if (typeof channel !== "string" || !CHANNEL_ID_RE.test(channel)) return "channel must be 8-64 characters of letters, digits, '-' or '_'";
  if (typeof request_id !== "string" || !REQUEST_ID_RE.test(request_id)) return "request_id must be five lowercase letters other than 'l'";
  if (typeof tool_name !== "string" || tool_name.length < 1 || tool_name.length > 200) return "tool_name must be 1-200 characters";
  if (typeof description !== "string" || description.length > MAX_DESCRIPTION)
    return `description must be a string of at most ${MAX_DESCRIPTION} characters`;
  if (typeof input_preview !== "string" || input_preview.length > MAX_PREVIEW)
    return `input_preview must be a string of at most ${MAX_PREVIEW} characters`;
  const ttl = ttl_s ?? DEFAULT_PERMISSION_TTL_S;
  if (!Number.isInteger(ttl) || (ttl as number) < 1 || (ttl as number) > MAX_PERMISSION_TTL_S)
    return `ttl_s must be a whole number of seconds, 1-${MAX_PERMISSION_TTL_S}`;
  return { agent, channel, request_id, tool_name, description, input_preview, ttl_s: ttl as number };
}

/**
 * POST /api/permission-request: a `masc-agent channel` hands over a Claude Code permission prompt
 * of its own agent. Only that agent's credential may (a worker at least), never another's.
 */
export async function permissionRequestRoute(core: PermissionRelayRoom, req: Request, caller: Caller | null): Promise<Response> {
  const body = (await req.json().catch(() => null)) as Record<string, unknown> | null;
  const r = parse(body && typeof body === "object" && !Array.isArray(body) ? body : null);
  if (typeof r === "string") return bad(r);
  if (caller && (!atLeast(caller.role, "worker") || caller.agent !== r.agent)) {
    return bad(
      `your credential (${caller.agent ?? "no agent"}, ${caller.role}) cannot relay ${r.agent}'s permission prompts`,
      403,
      "forbidden",
    );
  }
  const sealed = {
    ...r,
    description: await core.codec.seal("interrupt", r.description),
    input_preview: await core.codec.seal("interrupt", r.input_preview),
  };
  const now = Date.now();
  try {
    const row = core.db.tx(() => requestPermission(core.db, now, sealed));
    return Response.json({ request: await showPermission(core.codec, row, now, (c) => core.channelLive(c)) });
  } catch (err) {
    if (err instanceof MascError) return bad(`${err.code}: ${err.message}`, err.code === "rate_limited" ? 429 : 409, err.code);
    throw err;
  } finally {
    await core.flush();
  }
}
