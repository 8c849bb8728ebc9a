import * as z from "zod";
import { join } from "../../../room/agents";
import { appendEvent } from "../../../room/events";
import { setLockCase } from "../../../room/locks";
import { getMeta, setMeta } from "../../../room/meta";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_init = defineTool({
  name: "masc_init",
  category: "core",
  description: "Initialize the room (idempotent); with agent_name also joins it.",
  input: {
    agent_name: agentName.optional(),
    lock_case: z.enum(["fold", "exact"]).optional().describe("Lock paths ignore letter case ('fold', default) or not ('exact'); admin"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, lock_case }, { db, now, room, session, caller }) {
    if (lock_case) setLockCase(db, now, lock_case, caller);
    const created = getMeta(db, "initialized_at") === undefined;
    if (created) {
      setMeta(db, "initialized_at", String(now));
      appendEvent(db, now, { kind: "room_initialized", actor: agent_name ?? null, data: { room: room.name } });
    }
    if (agent_name) {
      join(db, now, agent_name);
      session.bindAgent(agent_name);
    }
    return {
      room: room.name,
      initialized: true,
      created,
      initialized_at: new Date(Number(getMeta(db, "initialized_at"))).toISOString(),
      lock_case: getMeta(db, "lock_case") ?? "fold",
    };
  },
});
