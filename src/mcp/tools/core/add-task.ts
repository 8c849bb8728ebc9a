import { linksOfNew } from "../../../room/task-deps";
import { sealText, showTask } from "../../../room/task-views";
import { addTask } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { blockedBy, priority, text, title } from "../../fields";

export const masc_add_task = defineTool({
  name: "masc_add_task",
  category: "core",
  description: "Add a task to the board; ids are task-001, task-002 … and never reused.",
  input: {
    title,
    priority: priority.default(3),
    description: text(4000, "Details of the task").optional(),
    blocked_by: blockedBy.optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ title, priority, description, blocked_by }, { db, now, room, session, caller }) {
    const sealed = { title: await room.codec.seal("task", title), description: await sealText(room.codec, description) };
    const task = db.tx(() => addTask(db, now, { ...sealed, priority, blocked_by, created_by: session.agent }));
    const shown = await showTask(room.codec, task, viewerOf(caller), linksOfNew(db, task.id, blocked_by));
    return { task_id: task.id, task: shown };
  },
});
