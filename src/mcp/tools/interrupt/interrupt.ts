import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { interrupt, showCheckpoint } from "../../../room/interrupts";
import { defineTool } from "../../define";
import { agentName, taskId, text } from "../../fields";

export const masc_interrupt = defineTool({
  name: "masc_interrupt",
  category: "interrupt",
  description: "Ask a human to approve a dangerous step before you run it; then wait for the decision.",
  input: {
    agent_name: agentName,
    task_id: taskId,
    step: z.number().int().min(0).max(1_000_000).describe("Step number of the checkpoint"),
    action: text(2000, "What you are about to do, e.g. the command").min(1, "must not be empty"),
    message: text(4000, "Question for the human").min(1, "must not be empty"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, task_id, step, action, message }, { db, now, room }) {
    const sealed = { action: await room.codec.seal("interrupt", action), message: await room.codec.seal("interrupt", message) };
    const cp = db.tx(() => {
      requireJoined(db, agent_name);
      return interrupt(db, now, { agent: agent_name, task_id, step, ...sealed });
    });
    return {
      checkpoint: await showCheckpoint(room.codec, cp),
      next: "wait: the decision arrives as a push (interrupt_approved / interrupt_rejected) and in masc_pending_interrupts",
    };
  },
});
