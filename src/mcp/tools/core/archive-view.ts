import { showTask } from "../../../room/task-views";
import { archivedTasks } from "../../../room/tasks";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { limit } from "../../fields";

export const masc_archive_view = defineTool({
  name: "masc_archive_view",
  category: "core",
  description: "Finished tasks that masc_gc moved off the board, newest first.",
  input: { limit: limit(20, 200) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async handler({ limit }, { db, room, caller }) {
    const tasks = archivedTasks(db, limit);
    return { tasks: await Promise.all(tasks.map((t) => showTask(room.codec, t, viewerOf(caller)))), count: tasks.length };
  },
});
