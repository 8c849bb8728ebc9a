import type { Caller } from "./auth";
import type { RoomEvent } from "./events";
import { forAgentSql, isFor } from "./push";

/**
 * Who is looking at room events, for every surface that shows them (WebSocket, MCP tools,
 * GraphQL, dashboard API, hook). Portal messages are for their two parties; a reader or an
 * anonymous caller also does not see broadcasts that mention other agents.
 */
export interface Viewer {
  /** An admin, or anyone in a room with auth off on loopback. */
  all: boolean;
  agent: string | null;
  /** Workers see the room's chat, mentions of others included; readers only their own. */
  seesMentions: boolean;
  /** Workers and admins work in worktrees, so they see their absolute paths; readers do not. */
  seesPaths: boolean;
}

export const SEES_ALL: Viewer = { all: true, agent: null, seesMentions: true, seesPaths: true };
/** What anyone, an anonymous reader included, may see. */
export const ANYONE: Viewer = { all: false, agent: null, seesMentions: false, seesPaths: false };

export function viewerOf(caller: Caller | null): Viewer {
  if (!caller || caller.role === "admin") return { ...SEES_ALL, agent: caller?.agent ?? null };
  const worker = caller.role !== "reader";
  return { all: false, agent: caller.agent, seesMentions: worker, seesPaths: worker };
}

function isMention(e: Pick<RoomEvent, "kind" | "target">): boolean {
  return e.kind === "broadcast" && e.target !== null && e.target !== "@all";
}

export function canSee(v: Viewer, e: RoomEvent): boolean {
  if (v.all) return true;
  if (e.kind === "portal_message") return v.agent !== null && (e.actor === v.agent || e.target === v.agent);
  if (isMention(e) && !v.seesMentions) return v.agent !== null && (e.actor === v.agent || isFor(e, v.agent));
  return true;
}

/** `canSee` as an SQL condition over an `events` row aliased `e`; bind the params in order. */
export function visibleSql(v: Viewer): { sql: string; params: string[] } {
  if (v.all) return { sql: "1 = 1", params: [] };
  const me = v.agent ?? "";
  const portal = "(e.kind != 'portal_message' OR e.actor = ? OR e.target = ?)";
  if (v.seesMentions) return { sql: portal, params: [me, me] };
  const mine = v.agent ? forAgentSql(v.agent) : { sql: "0", params: [] };
  return {
    sql: `${portal} AND (e.kind != 'broadcast' OR e.target IS NULL OR e.target = '@all' OR e.actor = ? OR ${mine.sql})`,
    params: [me, me, me, ...mine.params],
  };
}

/**
 * A worktree as `v` may see it. The daemon reports absolute paths of the developer's machine
 * (home directory, user name); below worker only the branch and `.worktrees/<name>` remain.
 */
export function worktreeFor(v: Viewer, wt: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!wt || v.all || v.seesPaths) return wt;
  const path = typeof wt.path === "string" ? wt.path.replace(/\\/g, "/").replace(/\/+$/, "") : "";
  const name = path.slice(path.lastIndexOf("/") + 1);
  return { branch: typeof wt.branch === "string" ? wt.branch : null, path: name ? `.worktrees/${name}` : null };
}
