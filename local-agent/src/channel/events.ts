import type { RoomEvent } from "../daemon/notes.ts";

export type { RoomEvent };

/** What Claude Code puts in the model's context: `<channel source="masc" …meta>content</channel>`. */
export interface ChannelEvent {
  content: string;
  meta: Record<string, string>;
  seq: number;
}

/** Longer content is cut here, with a line that says how to read the rest. */
export const CONTENT_MAX = 2000;
/** Claude Code keeps only meta keys that are identifiers; others are dropped without a word. */
const META_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Concern {
  agent: string;
  /** Files and leases the agent was refused (lock_held), spelled as the room shows them. */
  refused: Set<string>;
}

const typeOf = (agent: string) => agent.split(/[-_]/)[0] ?? agent;
const text = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

/** The room's mention rule (src/room/mentions.ts): the name, `@all`, or `@@` and the agent's type. */
export function mentions(e: RoomEvent, agent: string): boolean {
  const named = Array.isArray(e.data.mentions) ? e.data.mentions : e.target === null ? [] : [e.target];
  return named.some((m) => m === agent || m === "@all" || m === `@@${typeOf(agent)}`);
}

export function metaOf(fields: Record<string, string | number | null | undefined>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (META_KEY.test(k) && v !== null && v !== undefined) meta[k] = String(v);
  return meta;
}

/** `content` within CONTENT_MAX; the cut says how long it was and which call reads it whole. */
export function bounded(content: string, readWith: string): string {
  if (content.length <= CONTENT_MAX) return content;
  return `${content.slice(0, CONTENT_MAX)}… [cut at ${CONTENT_MAX} of ${content.length} characters; read it whole with ${readWith}]`;
}

/**
 * The channel event for a room event that concerns `agent`, or null for everything else (the
 * room's chatter never reaches the model). Verdicts on permission prompts are not events: the
 * channel answers Claude Code with them instead.
 */
export function channelEventFor(e: RoomEvent, c: Concern): ChannelEvent | null {
  const me = c.agent;
  const from = e.actor ?? "room";
  const event = (kind: string, content: string, extra: Record<string, string | number | null> = {}): ChannelEvent => ({
    content,
    seq: e.seq,
    meta: metaOf({ sender: from, kind, seq: e.seq, ...extra }),
  });
  // The agent's own spending crossed a cap (its own cost_log did it, so this comes before the
  // rule that drops an agent's own doings).
  if (e.kind === "budget_exceeded") {
    if (!mentions(e, me)) return null;
    return event("budget", bounded(text(e.data.message), "masc_budget_status()"), {
      period: text(e.data.period),
      scope: text(e.data.scope),
    });
  }
  if (e.actor === me) return null;
  const read = `masc_messages(agent_name: "${me}", since_seq: ${e.seq - 1}, limit: 1)`;
  switch (e.kind) {
    case "broadcast":
      if (!mentions(e, me)) return null;
      return event("mention", bounded(`${from}: ${text(e.body)}`, read), { thread: (e.data.thread as number | undefined) ?? null });
    case "portal_message":
      if (e.target !== me) return null;
      return event("direct", bounded(`${from} (portal, only to you): ${text(e.body)}`, read));
    case "interrupt_approved":
    case "interrupt_rejected": {
      if (e.target !== me) return null;
      const verdict = e.kind === "interrupt_approved" ? "approved" : "rejected";
      const task = text(e.data.task_id);
      const why = e.body ? `: ${e.body}` : "";
      return event(
        "decision",
        bounded(
          `your interrupt on task ${task} (step ${text(e.data.step)}, ${text(e.data.action)}) was ${verdict} by ${from}${why}`,
          `masc_pending_interrupts(task_id: "${task}")`,
        ),
        { task_id: task },
      );
    }
    case "lock_released":
    case "lock_expired": {
      const file = text(e.data.file);
      if (!c.refused.has(file)) return null;
      c.refused.delete(file);
      const how = e.kind === "lock_expired" ? "its lock expired" : `released by ${from}`;
      return event("lock_free", `${file} is free now (${how}); you were refused it earlier: masc_lock it again`, { file });
    }
    case "vote_created": {
      const options = Array.isArray(e.data.options) ? e.data.options.map(text).join(", ") : "";
      const id = text(e.data.vote_id);
      return event(
        "vote",
        bounded(
          `${from} opened vote ${id}: ${text(e.data.topic)} (options: ${options}); cast yours with masc_vote_cast`,
          `masc_vote_status(vote_id: "${id}")`,
        ),
        { vote_id: id },
      );
    }
    case "task_unblocked": {
      // One event for every dependent a finished blocker freed; only those the agent holds concern it.
      const freed = Array.isArray(e.data.unblocked) ? (e.data.unblocked as Array<{ task_id?: unknown; assignee?: unknown }>) : [];
      const mine = freed.filter((u) => u.assignee === me).map((u) => text(u.task_id));
      if (mine.length === 0) return null;
      const blocker = text(e.data.blocker);
      return event(
        "unblocked",
        `${mine.join(", ")} no longer wait${mine.length === 1 ? "s" : ""} for anything: ${blocker} was finished by ${from}; carry on`,
        { task_id: mine[0] ?? null, blocker },
      );
    }
    default: {
      if (!e.kind.startsWith("task_")) return null;
      const task = text(e.data.task_id);
      const read = `masc_task_history(task_id: "${task}")`;
      // Handed to it by someone else (its own claims it knows of), or a task event aimed at it.
      if (e.data.assignee === me && ["claimed", "in_progress"].includes(text(e.data.state)))
        return event("task", bounded(`task ${task} "${text(e.data.title)}" is now yours (${text(e.data.state)}, by ${from})`, read), {
          task_id: task,
        });
      if (e.target === me || mentions(e, me))
        return event("task", bounded(`task ${task} "${text(e.data.title)}": ${e.kind.slice(5)} (by ${from})`, read), { task_id: task });
      return null;
    }
  }
}
