import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { branch, showCheckpoint } from "../../../room/interrupts";
import { defineTool } from "../../define";
import { agentName, taskId } from "../../fields";

export const masc_branch = defineTool({
  name: "masc_branch",
  category: "interrupt",
  description: "Fork a new execution path from an earlier checkpoint step of a task.",
  input: {
    agent_name: agentName,
    task_id: taskId,
    source_step: z.number().int().min(0).max(1_000_000).describe("The step to fork from"),
    branch_name: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,100}$/, "must be 1-100 characters of letters, digits, '.', '_', '/' or '-'")
      .describe("Name of the new path"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, task_id, source_step, branch_name }, { db, now, room }) {
    const out = db.tx(() => {
      requireJoined(db, agent_name);
      return branch(db, now, agent_name, task_id, source_step, branch_name);
    });
    return { source: await showCheckpoint(room.codec, out.source), branch: await showCheckpoint(room.codec, out.branch) };
  },
});
