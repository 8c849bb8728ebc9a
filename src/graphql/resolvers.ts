import { GraphQLError } from "graphql";
import { listAgents } from "../room/agents";
import type { TextCodec } from "../room/codec";
import { bodyField, firstEventAt, lastSeq, type RoomEvent } from "../room/events";
import { broadcastPage } from "../room/messages";
import { getMeta } from "../room/meta";
import { pauseState } from "../room/pause";
import type { Db } from "../room/sql";
import { type Links, linksOf } from "../room/task-deps";
import { getTask, listTasks, type TaskRow, type TaskState } from "../room/tasks";
import { type Viewer, worktreeFor } from "../room/visibility";
import { decodeCursor, encodeCursor, pageSize } from "./cursors";

export interface GraphContext {
  db: Db;
  codec: TextCodec;
  room: string;
  /** Who asked: private messages it may not see are left out. */
  viewer: Viewer;
}

const STATES: readonly TaskState[] = ["todo", "claimed", "in_progress", "done", "cancelled"];
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function connection<T>(nodes: T[], cursorOf: (n: T) => string, hasNextPage: boolean, totalCount: number) {
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}

async function taskNode(codec: TextCodec, t: TaskRow, viewer: Viewer, links: Links | undefined) {
  const open = (v: string | null) => (v === null ? null : codec.open("task", v));
  const wt = worktreeFor(viewer, t.worktree ? (JSON.parse(t.worktree) as Record<string, unknown>) : null);
  return {
    id: t.id,
    title: await codec.open("task", t.title),
    description: await open(t.description),
    priority: t.priority,
    createdAt: iso(t.created_at),
    status: {
      status: t.state,
      assignee: t.assignee,
      claimedAt: iso(t.claimed_at),
      startedAt: iso(t.started_at),
      completedAt: iso(t.completed_at),
      notes: await open(t.notes),
      cancelledBy: t.cancelled_by,
      cancelledAt: iso(t.cancelled_at),
      reason: await open(t.reason),
    },
    worktree: wt && { branch: wt.branch ?? null, path: wt.path ?? null, gitRoot: wt.git_root ?? null, repoName: wt.repo_name ?? null },
    blocked: t.open_blockers > 0,
    blockedBy: links?.blocked_by ?? [],
    blocking: links?.blocking ?? [],
  };
}

async function messageNode(codec: TextCodec, e: RoomEvent) {
  return {
    id: String(e.seq),
    seq: e.seq,
    from: e.actor,
    messageType: e.kind,
    content: e.body === null ? "" : await codec.open(bodyField(e.kind), e.body),
    mention: e.target,
    replyTo: typeof e.data.reply_to === "number" ? e.data.reply_to : null,
    thread: typeof e.data.thread === "number" ? e.data.thread : null,
    timestamp: new Date(e.ts).toISOString(),
  };
}

/** Root resolvers: plain reads of the room's SQLite, text opened through the codec. */
export const rootValue = {
  status: (_args: unknown, { db, room }: GraphContext) => {
    const pause = pauseState(db);
    const started = getMeta(db, "initialized_at") ?? firstEventAt(db);
    return {
      protocolVersion: "2025-11-25",
      project: room,
      startedAt: started === null ? null : new Date(Number(started)).toISOString(),
      messageSeq: lastSeq(db),
      activeAgents: listAgents(db).filter((a) => a.status === "active" || a.status === "busy").length,
      paused: pause.paused,
      pauseReason: pause.reason,
      pausedBy: pause.paused_by,
      pausedAt: pause.paused_at,
    };
  },

  tasks: async (args: { first?: number; after?: string; status?: string; assignee?: string }, { db, codec, viewer }: GraphContext) => {
    const first = pageSize(args.first);
    if (args.status !== undefined && args.status !== null && !STATES.includes(args.status as TaskState)) {
      throw new GraphQLError(`status must be one of ${STATES.join(", ")}`, { extensions: { code: "BAD_USER_INPUT" } });
    }
    let cursor = 0;
    if (args.after) {
      const id = decodeCursor("task", args.after);
      const task = getTask(db, id);
      if (!task) throw new GraphQLError(`invalid cursor '${args.after}': no task ${id}`, { extensions: { code: "BAD_CURSOR" } });
      cursor = task.num;
    }
    const page = listTasks(db, {
      state: (args.status ?? undefined) as TaskState | undefined,
      assignee: args.assignee ?? undefined,
      limit: first,
      cursor,
    });
    const links = linksOf(
      db,
      page.tasks.map((t) => t.id),
    );
    const nodes = await Promise.all(page.tasks.map((t) => taskNode(codec, t, viewer, links.get(t.id))));
    return connection(nodes, (n) => encodeCursor("task", n.id), page.has_more, page.total);
  },

  agents: (args: { first?: number; after?: string; status?: string }, { db }: GraphContext) => {
    const first = pageSize(args.first);
    const all = listAgents(db)
      .filter((a) => !args.status || a.status === args.status)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const after = args.after ? decodeCursor("agent", args.after) : null;
    const rest = after === null ? all : all.filter((a) => a.name > after);
    const nodes = rest.slice(0, first).map((a) => ({
      id: a.name,
      name: a.name,
      agentType: a.agent_type,
      status: a.status,
      capabilities: a.capabilities,
      currentTask: a.current_task,
      joinedAt: a.joined_at,
      lastSeen: a.last_seen,
    }));
    return connection(nodes, (n) => encodeCursor("agent", n.name), rest.length > first, all.length);
  },

  messages: async (
    args: { first?: number; after?: string; from?: string; mention?: string; thread?: number },
    { db, codec, viewer }: GraphContext,
  ) => {
    const first = pageSize(args.first);
    const after = args.after ? Number(decodeCursor("message", args.after)) : 0;
    if (!Number.isInteger(after) || after < 0)
      throw new GraphQLError(`invalid cursor '${args.after}': not a message seq`, { extensions: { code: "BAD_CURSOR" } });
    const page = broadcastPage(db, {
      after,
      limit: first,
      viewer,
      from: args.from || undefined,
      mention: args.mention || undefined,
      thread: args.thread ?? undefined,
    });
    const nodes = await Promise.all(page.events.map((e) => messageNode(codec, e)));
    return connection(nodes, (n) => encodeCursor("message", n.seq), page.has_more, page.total);
  },
};
