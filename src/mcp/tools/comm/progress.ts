import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { appendEvent } from "../../../room/events";
import { defineTool } from "../../define";
import { agentName, message, taskId } from "../../fields";

export const masc_progress = defineTool({
  name: "masc_progress",
  category: "comm",
  description: "Report progress on a task: sends MCP notifications/progress to your client and a progress event to the room.",
  input: {
    action: z.enum(["start", "update", "step", "complete"]).describe("start, update, step or complete"),
    task_id: taskId,
    progress: z.number().min(0).max(1_000_000).describe("Progress so far: a step number, or a percentage when total_steps is 100"),
    message: message(1000, "What is happening now").optional(),
    total_steps: z.number().int().min(1).max(1_000_000).optional().describe("How many steps in total, if known"),
    agent_name: agentName.optional().describe("Who reports (default: this session's agent)"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ action, task_id, progress, message, total_steps, agent_name }, { db, now, room, session, progress: notify }) {
    const actor = agent_name ?? session.agent;
    if (agent_name) requireJoined(db, agent_name);
    const body = message === undefined ? null : await room.codec.seal("message", message);
    const seq = db.tx(() =>
      appendEvent(db, now, { kind: "progress", actor, body, data: { task_id, action, progress, total_steps: total_steps ?? null } }),
    );
    await notify(progress, total_steps, message);
    return { task_id, action, progress, total_steps: total_steps ?? null, seq };
  },
});
