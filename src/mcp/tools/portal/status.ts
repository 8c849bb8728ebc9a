import { openEvent } from "../../../room/events";
import { portalStatus, viewPortal } from "../../../room/portals";
import { defineTool } from "../../define";
import { agentName } from "../../fields";
import { viewEvent } from "../comm/view";

export const masc_portal_status = defineTool({
  name: "masc_portal_status",
  category: "portal",
  description: "Your open portal (if any) and the portal messages to you not yet shown, which this marks read.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name }, { db, room }) {
    const status = portalStatus(db, agent_name);
    const pending = await Promise.all(status.pending.map(async (e) => viewEvent(await openEvent(room.codec, e))));
    return {
      portal: status.portal ? viewPortal(status.portal, agent_name) : null,
      pending,
      pending_count: pending.length,
      has_more: status.more,
    };
  },
});
