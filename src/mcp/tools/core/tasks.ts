import * as z from "zod";
import { showTasks } from "../../../room/task-views";
import { listTasks } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { limit, otherAgent, taskCursor } from "../../fields";

export const TASK_STATES = ["todo", "claimed", "in_progress", "done", "cancelled"] as const;

export const masc_tasks = defineTool({
  name: "masc_tasks",
  category: "core",
  description: "List the task board, optionally by state or assignee; paged.",
  input: {
    state: z.enum(TASK_STATES).optional().describe("Only tasks in this state"),
    assignee: otherAgent("Only tasks assigned to this agent").optional(),
    include_archived: z.boolean().default(false).describe("Also list archived (old finished) tasks"),
    limit: limit(50, 200),
    cursor: taskCursor,
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  cacheable: true,
  async handler({ state, assignee, include_archived, limit, cursor }, { db, room, caller }) {
    const page = listTasks(db, { state, assignee, includeArchived: include_archived, limit, cursor: Number(cursor ?? 0) });
    return {
      tasks: await showTasks(db, room.codec, page.tasks, viewerOf(caller)),
      total: page.total,
      has_more: page.has_more,
      next_cursor: page.next_cursor,
    };
  },
});
