import { pendingInterrupts, recentDecisions, showCheckpoint } from "../../../room/interrupts";
import { defineTool } from "../../define";
import { taskId } from "../../fields";

export const masc_pending_interrupts = defineTool({
  name: "masc_pending_interrupts",
  category: "interrupt",
  description: "Interrupts waiting for a human decision, and the latest decisions (poll this while waiting).",
  input: { task_id: taskId.optional().describe("Only this task") },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async handler({ task_id }, { db, room }) {
    const pending = pendingInterrupts(db, task_id);
    const decided = recentDecisions(db, task_id, 10);
    return {
      pending: await Promise.all(pending.map((c) => showCheckpoint(room.codec, c))),
      count: pending.length,
      recent_decisions: await Promise.all(decided.map((c) => showCheckpoint(room.codec, c))),
    };
  },
});
