import type { TextCodec } from "./codec";
import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Db } from "./sql";

/**
 * Claude Code's permission prompts relayed by a `masc-agent channel` (decision 0040): each one is
 * a room approval beside interrupts, decided once by the room's approvers; the verdict travels
 * back to the channel as an event aimed at the requesting agent.
 */
export type PermissionState = "pending" | "allowed" | "denied";
/** What a request shows as: undecided ones also expire, or lose the channel that asked. */
export type ShownPermissionState = PermissionState | "expired" | "abandoned";

export interface PermissionRow {
  request_id: string;
  agent: string;
  channel: string;
  tool_name: string;
  description: string;
  input_preview: string;
  state: PermissionState;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

/** Claude Code's ids: five lowercase letters, never `l` (it reads as 1 or I on a phone). */
export const REQUEST_ID_RE = /^[a-km-z]{5}$/;
export const CHANNEL_ID_RE = /^[A-Za-z0-9_-]{8,64}$/;
export const DEFAULT_PERMISSION_TTL_S = 600;
export const MAX_PERMISSION_TTL_S = 86_400;
/** Claude Code cuts the preview at 200 characters; a little room for what it may add. */
export const MAX_PREVIEW = 1000;
export const MAX_DESCRIPTION = 2000;
/** Open prompts one agent may have at once: a session asks one at a time, so this is only a fence. */
export const MAX_OPEN_PER_AGENT = 50;
/** Finished and expired requests are kept this long after they expired, then dropped. */
const KEEP_MS = 86_400_000;

/** Description and preview are sealed already when encryption at rest is on. */
export type NewPermissionRequest = Pick<
  PermissionRow,
  "request_id" | "agent" | "channel" | "tool_name" | "description" | "input_preview"
> & { ttl_s: number };

export function getPermission(db: Db, requestId: string): PermissionRow | undefined {
  return db.one<PermissionRow>("SELECT * FROM permission_requests WHERE request_id = ?", requestId);
}

export function shownState(r: PermissionRow, now: number, channelLive: (channel: string) => boolean): ShownPermissionState {
  if (r.state !== "pending") return r.state;
  if (now >= r.expires_at) return "expired";
  return channelLive(r.channel) ? "pending" : "abandoned";
}

/**
 * Records a prompt. Claude Code's ids are short, so one can come back: a finished request with
 * the same id is replaced, an open one of another channel is refused.
 */
export function requestPermission(db: Db, now: number, r: NewPermissionRequest): PermissionRow {
  db.run("DELETE FROM permission_requests WHERE expires_at < ?", now - KEEP_MS);
  const open = db.one<{ n: number }>(
    "SELECT COUNT(*) AS n FROM permission_requests WHERE agent = ? AND state = 'pending' AND expires_at > ?",
    r.agent,
    now,
  );
  if ((open?.n ?? 0) >= MAX_OPEN_PER_AGENT) {
    fail(
      "rate_limited",
      `${r.agent} has ${MAX_OPEN_PER_AGENT} open permission requests, at most ${MAX_OPEN_PER_AGENT}; decide or let some expire`,
      {
        agent: r.agent,
      },
    );
  }
  const old = getPermission(db, r.request_id);
  if (old && old.state === "pending" && now < old.expires_at && old.channel !== r.channel) {
    fail("conflict", `permission request ${r.request_id} is already open for ${old.agent}; Claude Code picks a new id per prompt`, {
      request_id: r.request_id,
    });
  }
  db.run(
    `INSERT INTO permission_requests (request_id, agent, channel, tool_name, description, input_preview, state, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
     ON CONFLICT (request_id) DO UPDATE SET agent = excluded.agent, channel = excluded.channel, tool_name = excluded.tool_name,
       description = excluded.description, input_preview = excluded.input_preview, state = 'pending',
       created_at = excluded.created_at, expires_at = excluded.expires_at, decided_at = NULL, decided_by = NULL`,
    r.request_id,
    r.agent,
    r.channel,
    r.tool_name,
    r.description,
    r.input_preview,
    now,
    now + r.ttl_s * 1000,
  );
  appendEvent(db, now, {
    kind: "permission_requested",
    actor: r.agent,
    data: { request_id: r.request_id, tool_name: r.tool_name, expires_at: new Date(now + r.ttl_s * 1000).toISOString() },
  });
  return getPermission(db, r.request_id) as PermissionRow;
}

/**
 * Allows or denies an open request, once. With auth on (`by` is a caller) the requesting agent
 * never decides its own prompt: that is what the channel's permission capability promises.
 */
export function decidePermission(
  db: Db,
  now: number,
  requestId: string,
  behavior: "allow" | "deny",
  by: { agent: string | null; authenticated: boolean },
  channelLive: (channel: string) => boolean,
): PermissionRow {
  const r = getPermission(db, requestId);
  if (!r) fail("not_found", `no permission request ${requestId}; see masc_pending_interrupts`, { request_id: requestId });
  if (by.authenticated && by.agent === r.agent) {
    fail("forbidden", `${r.agent} cannot decide its own permission request ${requestId}; another admin of the room must`, {
      request_id: requestId,
    });
  }
  const state = shownState(r, now, channelLive);
  if (state !== "pending") {
    const why =
      state === "expired"
        ? "expired undecided"
        : state === "abandoned"
          ? "abandoned: the channel that asked is gone (it may have been answered at the terminal)"
          : `already ${state}${r.decided_by ? ` by ${r.decided_by}` : ""}`;
    fail("already_decided", `permission request ${requestId} is ${why}; a decision is final`, { request_id: requestId, state });
  }
  const decided = behavior === "allow" ? "allowed" : "denied";
  const changed = db.run(
    "UPDATE permission_requests SET state = ?, decided_at = ?, decided_by = ? WHERE request_id = ? AND state = 'pending'",
    decided,
    now,
    by.agent,
    requestId,
  );
  if (changed !== 1) fail("already_decided", `permission request ${requestId} was decided meanwhile`, { request_id: requestId });
  appendEvent(db, now, {
    kind: decided === "allowed" ? "permission_allowed" : "permission_denied",
    actor: by.agent,
    target: r.agent,
    data: { request_id: requestId, tool_name: r.tool_name, channel: r.channel, behavior },
  });
  return getPermission(db, requestId) as PermissionRow;
}

/** Open requests first, then the latest others (decided, expired, abandoned), newest first. */
export function recentPermissions(db: Db, limit: number): PermissionRow[] {
  return db.all<PermissionRow>(
    "SELECT * FROM permission_requests ORDER BY (state = 'pending') DESC, created_at DESC, request_id LIMIT ?",
    limit,
  );
}

/** Requests still waiting for a decision, newest first. */
export function pendingPermissions(db: Db, limit: number): PermissionRow[] {
  return db.all<PermissionRow>("SELECT * FROM permission_requests WHERE state = 'pending' ORDER BY created_at DESC LIMIT ?", limit);
}

export async function showPermission(codec: TextCodec, r: PermissionRow, now: number, channelLive: (channel: string) => boolean) {
  return {
    request_id: r.request_id,
    agent: r.agent,
    tool_name: r.tool_name,
    description: await codec.open("interrupt", r.description),
    input_preview: await codec.open("interrupt", r.input_preview),
    state: shownState(r, now, channelLive),
    created_at: new Date(r.created_at).toISOString(),
    expires_at: new Date(r.expires_at).toISOString(),
    decided_at: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
    decided_by: r.decided_by,
  };
}
