import { agentStatuses } from "../../../room/agents";
import { lastSeq } from "../../../room/events";
import { getMeta } from "../../../room/meta";
import { boardVersion, countByState } from "../../../room/tasks";
import { defineTool } from "../../define";

export const masc_status = defineTool({
  name: "masc_status",
  category: "core",
  description: "Room summary: agents by status, the task board by state, messages, pause state.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  cacheable: true,
  handler(_args, { db, room }) {
    const agents = agentStatuses(db);
    const count = (s: string) => agents.filter((a) => a.status === s).length;
    const messages = db.one<{ n: number }>("SELECT n FROM event_counts WHERE kind = 'broadcast'")?.n ?? 0;
    return {
      room: room.name,
      version: room.config.version,
      paused: getMeta(db, "paused_at") !== undefined,
      pause_reason: getMeta(db, "pause_reason") ?? null,
      agents: {
        total: agents.length,
        active: count("active"),
        busy: count("busy"),
        zombie: count("zombie"),
        names: agents.map((a) => a.name),
      },
      tasks: countByState(db),
      board_version: boardVersion(db),
      messages,
      last_seq: lastSeq(db),
    };
  },
});
