import { pendingInterrupts, recentDecisions, showCheckpoint } from "../../../room/interrupts";
import { recentPermissions, showPermission } from "../../../room/permission-requests";
import { defineTool } from "../../define";
import { taskId } from "../../fields";

export const masc_pending_interrupts = defineTool({
  name: "masc_pending_interrupts",
  category: "interrupt",
  description: "Interrupts and relayed permission requests waiting for a human decision, and the latest decisions.",
  input: { task_id: taskId.optional().describe("Only this task") },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async handler({ task_id }, { db, room, now }) {
    const pending = pendingInterrupts(db, task_id);
    const decided = recentDecisions(db, task_id, 10);
    const live = (channel: string) => room.channelLive(channel);
    const requests =
      task_id === undefined ? await Promise.all(recentPermissions(db, 20).map((r) => showPermission(room.codec, r, now, live))) : [];
    return {
      pending: await Promise.all(pending.map((c) => showCheckpoint(room.codec, c))),
      count: pending.length,
      recent_decisions: await Promise.all(decided.map((c) => showCheckpoint(room.codec, c))),
      permission_requests: requests,
      permission_pending: requests.filter((r) => r.state === "pending").length,
    };
  },
});
