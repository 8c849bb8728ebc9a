import { decide, showCheckpoint } from "../../../room/interrupts";
import { defineTool } from "../../define";
import { taskId, text } from "../../fields";

export const masc_reject = defineTool({
  name: "masc_reject",
  category: "interrupt",
  description: "Reject the pending interrupt of a task, with a reason the agent will see.",
  input: { task_id: taskId, reason: text(1000, "Why, and what to do instead").optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ task_id, reason }, { db, now, room, session, caller }) {
    const sealed = reason === undefined ? null : await room.codec.seal("interrupt", reason);
    const cp = db.tx(() => decide(db, now, task_id, "rejected", caller?.agent ?? session.agent, sealed));
    return { rejected: task_id, checkpoint: await showCheckpoint(room.codec, cp) };
  },
});
