import { decide, showCheckpoint } from "../../../room/interrupts";
import { decideRequest, oneTarget } from "../../decision-target";
import { defineTool } from "../../define";
import { requestId, taskId, text } from "../../fields";

export const masc_reject = defineTool({
  name: "masc_reject",
  category: "interrupt",
  description: "Reject a task's pending interrupt (with a reason the agent sees), or deny a relayed permission request.",
  input: { task_id: taskId.optional(), request_id: requestId.optional(), reason: text(1000, "Why, and what to do instead").optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ task_id, request_id, reason }, ctx) {
    if (oneTarget({ task_id, request_id }) === "request")
      return { denied: request_id, ...(await decideRequest(ctx, request_id ?? "", "deny")) };
    const { db, now, room, session, caller } = ctx;
    const id = task_id ?? "";
    const sealed = reason === undefined ? null : await room.codec.seal("interrupt", reason);
    const cp = db.tx(() => decide(db, now, id, "rejected", caller?.agent ?? session.agent, sealed));
    return { rejected: id, checkpoint: await showCheckpoint(room.codec, cp) };
  },
});
