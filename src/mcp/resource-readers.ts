import { listAgents } from "../room/agents";
import { eventsAfter, lastSeq, openEvent, type RoomEvent } from "../room/events";
import { listLocks } from "../room/locks";
import { latestMessages } from "../room/messages";
import { isFor } from "../room/push";
import type { Db } from "../room/sql";
import { showTasks } from "../room/task-views";
import { countByState, listTasks } from "../room/tasks";
import type { Viewer } from "../room/visibility";
import type { RoomApi } from "./room-port";

export interface ReadContext {
  db: Db;
  room: RoomApi;
  agent: string | null;
  /** Who asked, for what private messages it may see. */
  viewer: Viewer;
  since: number | null;
  now: number;
}

const PAGE = 100;

async function openAll(room: RoomApi, events: readonly RoomEvent[]): Promise<RoomEvent[]> {
  return Promise.all(events.map((e) => openEvent(room.codec, e)));
}

/** Events for the reader: after `since`, or the newest PAGE. */
async function events({ db, room, agent, since }: ReadContext) {
  const last = lastSeq(db);
  if (since !== null) {
    const page = eventsAfter(db, since, PAGE);
    const next = page.at(-1)?.seq ?? since;
    return {
      last_seq: last,
      since,
      events: await openAll(
        room,
        page.filter((e) => isFor(e, agent)),
      ),
      has_more: next < last,
      next_since: next,
    };
  }
  const tail = eventsAfter(db, Math.max(0, last - PAGE), PAGE);
  return {
    last_seq: last,
    since: null,
    events: await openAll(
      room,
      tail.filter((e) => isFor(e, agent)),
    ),
    has_more: false,
    next_since: last,
  };
}

/** Each resource URI (without query) and how to read it. */
export const READERS: Record<string, (ctx: ReadContext) => unknown | Promise<unknown>> = {
  "room://events": events,
  "masc://events": events,
  "masc://status": ({ db, room, now }) => {
    const agents = listAgents(db);
    return {
      room: room.name,
      version: room.config.version,
      agents: { total: agents.length, names: agents.map((a) => a.name) },
      tasks: countByState(db),
      messages: db.one<{ n: number }>("SELECT n FROM event_counts WHERE kind = 'broadcast'")?.n ?? 0,
      locks: listLocks(db, now, { limit: 1 }).count,
      listening: room.live.presence().listening,
      last_seq: lastSeq(db),
    };
  },
  "masc://tasks": async ({ db, room, viewer }) => {
    const page = listTasks(db, { limit: 200 });
    const tasks = await showTasks(db, room.codec, page.tasks, viewer);
    return { tasks, total: page.total, has_more: page.has_more };
  },
  "masc://agents": ({ db }) => {
    const agents = listAgents(db);
    return { agents, count: agents.length };
  },
  "masc://messages": async ({ db, room, agent, viewer }) => ({
    messages: await openAll(room, latestMessages(db, agent, 50, viewer)),
    last_seq: lastSeq(db),
  }),
};
