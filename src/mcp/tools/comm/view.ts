import type { RoomEvent } from "../../../room/events";
import type { Receipts } from "../../../room/messages";

/** How a message (or any event) looks in tool results; `content` is exactly what was sent. */
export function viewEvent(e: RoomEvent, receipts?: Receipts) {
  const base = {
    seq: e.seq,
    type: e.kind === "portal_message" ? "portal" : e.kind,
    from: e.actor,
    ...(e.target ? { to: e.target } : {}),
    ...(Array.isArray(e.data.mentions) && e.data.mentions.length > 0 ? { mentions: e.data.mentions as string[] } : {}),
    ...(typeof e.data.reply_to === "number" ? { reply_to: e.data.reply_to, thread: e.data.thread } : {}),
    ...(e.body !== null ? { content: e.body } : {}),
    ...(e.kind === "broadcast" || e.kind === "portal_message" ? {} : { data: e.data }),
    timestamp: new Date(e.ts).toISOString(),
  };
  return receipts ? { ...base, ...receipts } : base;
}
