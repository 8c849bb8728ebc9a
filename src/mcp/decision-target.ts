import { fail } from "../room/errors";
import { decidePermission, showPermission } from "../room/permission-requests";
import type { ToolContext } from "./define";

/**
 * masc_approve and masc_reject decide either a task's interrupt or a relayed permission prompt
 * (decision 0040): exactly one of the two ids, checked before anything changes.
 */
export function oneTarget(args: { task_id?: string | undefined; request_id?: string | undefined }): "task" | "request" {
  if (args.task_id !== undefined && args.request_id !== undefined)
    fail("invalid_input", "pass task_id (an interrupt) or request_id (a permission request), not both");
  if (args.task_id === undefined && args.request_id === undefined)
    fail("invalid_input", "task_id or request_id is required: task_id for an interrupt, request_id for a permission request");
  return args.task_id !== undefined ? "task" : "request";
}

export async function decideRequest(ctx: ToolContext, requestId: string, behavior: "allow" | "deny") {
  const { db, now, room, session, caller } = ctx;
  const by = { agent: caller?.agent ?? session.agent, authenticated: caller !== null };
  const live = (channel: string) => room.channelLive(channel);
  const r = db.tx(() => decidePermission(db, now, requestId, behavior, by, live));
  return { request: await showPermission(room.codec, r, now, live) };
}
