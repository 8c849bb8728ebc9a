import type { Note } from "../notify/commands.ts";

export interface RoomEvent {
  seq: number;
  kind: string;
  actor: string | null;
  target: string | null;
  body: string | null;
  data: Record<string, unknown>;
}

/**
 * Which room events deserve a desktop notification on this machine: mentions of its agents,
 * portal messages to them, approvals waiting for a human, finished tasks. With no agents named,
 * every mention counts.
 */
export function noteFor(e: RoomEvent, agents: readonly string[]): Note | null {
  const mine = (who: string | null) => who !== null && (agents.length === 0 || agents.includes(who) || who === "@all");
  const task = typeof e.data.task_id === "string" ? e.data.task_id : undefined;
  switch (e.kind) {
    case "broadcast":
      if (!mine(e.target) || (e.actor !== null && agents.includes(e.actor))) return null;
      return { title: `@mention from ${e.actor}`, message: e.body ?? "", from: e.actor ?? undefined, target: e.target ?? undefined };
    case "portal_message":
      if (!mine(e.target)) return null;
      return { title: `portal message from ${e.actor}`, message: e.body ?? "", from: e.actor ?? undefined, target: e.target ?? undefined };
    case "interrupt_requested":
      return {
        title: "approval needed",
        message: `${e.actor} waits for approval of ${task} step ${e.data.step}`,
        from: e.actor ?? undefined,
        target: e.actor ?? undefined,
        task,
      };
    case "task_done":
      return {
        title: "task done",
        message: `${e.actor} finished ${task}${e.data.title ? `: ${e.data.title}` : ""}`,
        from: e.actor ?? undefined,
        target: e.actor ?? undefined,
        task,
      };
    default:
      return null;
  }
}
