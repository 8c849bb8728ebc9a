import { closePortal, viewPortal } from "../../../room/portals";
import { defineTool } from "../../define";
import { agentName } from "../../fields";

export const masc_portal_close = defineTool({
  name: "masc_portal_close",
  category: "portal",
  description: "Close your open portal; the other agent is told.",
  input: { agent_name: agentName },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ agent_name }, { db, now }) {
    const portal = closePortal(db, now, agent_name);
    return { closed: viewPortal(portal, agent_name) };
  },
});
