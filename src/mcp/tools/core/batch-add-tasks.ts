import { z } from "zod";
import { addTask, sealText, showTask } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { priority, text, title } from "../../fields";

export const masc_batch_add_tasks = defineTool({
  name: "masc_batch_add_tasks",
  category: "core",
  description: "Add up to 100 tasks at once; all are added or none.",
  input: {
    tasks: z
      .array(z.object({ title, priority: priority.default(3), description: text(4000, "Details of the task").optional() }).strict())
      .min(1, "must hold at least one task")
      .max(100, "must hold at most 100 tasks")
      .describe("Tasks to add, each {title, priority?, description?}"),
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
    const added = db.tx(() => sealed.map((t) => addTask(db, now, { ...t, created_by: session.agent })));
    return { added: added.map((t) => t.id), tasks: await Promise.all(added.map((t) => showTask(room.codec, t, viewerOf(caller)))) };
  },
});
