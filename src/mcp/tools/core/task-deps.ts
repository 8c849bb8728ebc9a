import { fail } from "../../../room/errors";
import { appendEvent } from "../../../room/events";
import { linkBlockers, linksOf, openBlockersOf, unlinkBlockers } from "../../../room/task-deps";
import { requireTask } from "../../../room/tasks";
import { defineTool } from "../../define";
import { blockedBy, taskId } from "../../fields";

export const masc_task_deps = defineTool({
  name: "masc_task_deps",
  category: "core",
  description: "Show, add or remove the tasks a task waits for (and see what waits on it).",
  input: {
    task_id: taskId,
    add: blockedBy.optional(),
    remove: blockedBy.optional().describe("Task ids it no longer waits for"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ task_id, add, remove }, { db, now, session }) {
    const both = add?.filter((id) => remove?.includes(id)) ?? [];
    if (both.length > 0) fail("invalid_input", `add and remove both name ${both.join(", ")}; name each task in one of them`);
    return db.tx(() => {
      requireTask(db, task_id);
      const removed = remove?.length ? unlinkBlockers(db, task_id, remove) : [];
      const added = add?.length ? linkBlockers(db, task_id, add) : [];
      const links = linksOf(db, [task_id]).get(task_id) ?? { blocked_by: [], blocking: [] };
      const waiting = openBlockersOf(db, task_id);
      if (added.length + removed.length > 0) {
        appendEvent(db, now, {
          kind: "task_deps_changed",
          actor: session.agent,
          data: { task_id, added, removed, blocked_by: links.blocked_by, blocked: waiting.length > 0 },
        });
      }
      return { task_id, added, removed, ...links, blocked: waiting.length > 0, waiting_for: waiting };
    });
  },
});
