import { decide, showCheckpoint } from "../../../room/interrupts";
import { decideRequest, oneTarget } from "../../decision-target";
import { defineTool } from "../../define";
import { requestId, taskId } from "../../fields";

export const masc_approve = defineTool({
  name: "masc_approve",
  category: "interrupt",
  description: "Approve a task's pending interrupt, or allow a relayed permission request.",
  input: { task_id: taskId.optional(), request_id: requestId.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ task_id, request_id }, ctx) {
    if (oneTarget({ task_id, request_id }) === "request")
      return { allowed: request_id, ...(await decideRequest(ctx, request_id ?? "", "allow")) };
    const { db, now, room, session, caller } = ctx;
    const id = task_id ?? "";
    const cp = db.tx(() => decide(db, now, id, "approved", caller?.agent ?? session.agent, null));
    return { approved: id, checkpoint: await showCheckpoint(room.codec, cp) };
  },
});
