import { z } from "zod";
import { transition, viewTask } from "../../../room/tasks";
import { defineTool } from "../../define";
import { agentName, expectedVersion, taskId, text } from "../../fields";

export const masc_transition = defineTool({
  name: "masc_transition",
  category: "core",
  description: "Move a task through claim, start, done, cancel or release, optionally compare-and-swap on its version.",
  input: {
    agent_name: agentName,
    task_id: taskId,
    action: z
      .enum(["claim", "start", "done", "cancel", "release"])
      .describe("claim: todo→claimed; start: claimed→in_progress; done; cancel; release: back to todo"),
    expected_version: expectedVersion,
    notes: text(4000, "Notes for done").optional(),
    reason: text(1000, "Reason for cancel").optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name, task_id, action, expected_version, notes, reason }, { db, now }) {
    const task = transition(db, now, agent_name, task_id, action, { expectedVersion: expected_version, notes, reason });
    return { task_id: task.id, action, status: task.state, version: task.version, task: viewTask(task) };
  },
});
