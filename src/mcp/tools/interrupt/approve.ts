import { decide, showCheckpoint } from "../../../room/interrupts";
import { defineTool } from "../../define";
import { taskId } from "../../fields";

export const masc_approve = defineTool({
  name: "masc_approve",
  category: "interrupt",
  description: "Approve the pending interrupt of a task; the waiting agent may go ahead.",
  input: { task_id: taskId },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ task_id }, { db, now, room, session, caller }) {
    const cp = db.tx(() => decide(db, now, task_id, "approved", caller?.agent ?? session.agent, null));
    return { approved: task_id, checkpoint: await showCheckpoint(room.codec, cp) };
  },
});
