import * as z from "zod";
import { sealText, showTask } from "../../../room/task-views";
import { transition } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
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
  async handler({ agent_name, task_id, action, expected_version, notes, reason }, { db, now, room, caller }) {
    const sealed = { notes: await sealText(room.codec, notes), reason: await sealText(room.codec, reason) };
    const task = db.tx(() => transition(db, now, agent_name, task_id, action, { expectedVersion: expected_version, ...sealed }));
    return {
      task_id: task.id,
      action,
      status: task.state,
      version: task.version,
      task: await showTask(room.codec, task, viewerOf(caller)),
    };
  },
});
