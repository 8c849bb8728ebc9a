import { openPortal, sendPortal, viewPortal } from "../../../room/portals";
import { defineTool } from "../../define";
import { agentName, message, otherAgent } from "../../fields";

export const masc_portal_open = defineTool({
  name: "masc_portal_open",
  category: "portal",
  description: "Open a direct channel to another agent (one open portal per agent), optionally with a first message.",
  input: {
    agent_name: agentName,
    target_agent: otherAgent("The agent to talk to directly"),
    initial_message: message(8000, "First message to send through the portal").optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, target_agent, initial_message }, { db, now, room }) {
    const body = initial_message === undefined ? null : await room.codec.seal("portal", initial_message);
    return db.tx(() => {
      const { portal, created } = openPortal(db, now, agent_name, target_agent);
      const sent = body === null ? null : sendPortal(db, now, agent_name, body);
      return { portal: viewPortal(portal, agent_name), created, ...(sent ? { sent_seq: sent.seq } : {}) };
    });
  },
});
