import * as z from "zod";
import { fail } from "../../../room/errors";
import { sealText, showTasks } from "../../../room/task-views";
import { addTask } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { priority, TASK_ID_RE, text, title } from "../../fields";

/** A task id, or `#N`: item N of this same batch (counted from 0), which must come earlier. */
const batchRef = z
  .string()
  .refine((s) => /^#\d{1,3}$/.test(s) || TASK_ID_RE.test(s), "must be a task id or '#N' naming an earlier item of this batch");

const item = z
  .object({
    title,
    priority: priority.default(3),
    description: text(4000, "Details of the task").optional(),
    blocked_by: z
      .array(batchRef)
      .max(50, "must name at most 50 tasks")
      .optional()
      .describe("Task ids it waits for, or '#0', '#1' … for earlier items of this list"),
  })
  .strict();

/** Turns `#N` into the id item N was given; only earlier items exist yet. */
function resolve(refs: readonly string[] | undefined, added: readonly string[], index: number): string[] | undefined {
  return refs?.map((ref) => {
    if (!ref.startsWith("#")) return ref;
    const n = Number(ref.slice(1));
    const id = n < index ? added[n] : undefined;
    if (id === undefined) {
      const allowed = index === 0 ? "the first item has none" : `#0 to #${index - 1}`;
      fail("invalid_input", `tasks[${index}].blocked_by: '${ref}' must name an earlier item of this batch (${allowed})`, {
        field: `tasks[${index}].blocked_by`,
      });
    }
    return id;
  });
}

export const masc_batch_add_tasks = defineTool({
  name: "masc_batch_add_tasks",
  category: "core",
  description: "Add up to 100 tasks at once; all are added or none.",
  input: {
    tasks: z
      .array(item)
      .min(1, "must hold at least one task")
      .max(100, "must hold at most 100 tasks")
      .describe("Tasks to add, each {title, priority?, description?, blocked_by?}"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ tasks }, { db, now, room, session, caller }) {
    const sealed = await Promise.all(
      tasks.map(async (t) => ({
        ...t,
        title: await room.codec.seal("task", t.title),
        description: await sealText(room.codec, t.description),
      })),
    );
    // One transaction, so a failure part-way adds nothing.
    const added = db.tx(() => {
      const ids: string[] = [];
      return sealed.map((t, i) => {
        const task = addTask(db, now, { ...t, blocked_by: resolve(t.blocked_by, ids, i), created_by: session.agent });
        ids.push(task.id);
        return task;
      });
    });
    return { added: added.map((t) => t.id), tasks: await showTasks(db, room.codec, added, viewerOf(caller)) };
  },
});
