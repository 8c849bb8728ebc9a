import { join } from "../../../room/agents";
import { appendEvent } from "../../../room/events";
import { getMeta, setMeta } from "../../../room/meta";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_init = defineTool({
  name: "masc_init",
  category: "core",
  description: "Initialize the room (idempotent); with agent_name also joins it.",
  input: { agent_name: agentName.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name }, { db, now, room, session }) {
    const created = getMeta(db, "initialized_at") === undefined;
    if (created) {
      setMeta(db, "initialized_at", String(now));
      appendEvent(db, now, { kind: "room_initialized", actor: agent_name ?? null, data: { room: room.name } });
    }
    if (agent_name) {
      join(db, now, agent_name);
      session.bindAgent(agent_name);
    }
    return { room: room.name, initialized: true, created, initialized_at: new Date(Number(getMeta(db, "initialized_at"))).toISOString() };
  },
});
