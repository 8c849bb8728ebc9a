import { sendPortal } from "../../../room/portals";
import { defineTool } from "../../define";
import { agentName, message } from "../../fields";

export const masc_portal_send = defineTool({
  name: "masc_portal_send",
  category: "portal",
  description: "Send a message through your open portal; it is pushed to the other agent and kept in its inbox.",
  input: { agent_name: agentName, message: message(8000, "The message; stored exactly as sent") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, message }, { db, now, room }) {
    const body = await room.codec.seal("portal", message);
    const sent = db.tx(() => sendPortal(db, now, agent_name, body));
    return { sent: true, seq: sent.seq, to: sent.to, portal_id: sent.portal_id };
  },
});
