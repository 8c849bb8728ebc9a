import { pause } from "../../../room/pause";
import { defineTool } from "../../define";
import { text } from "../../fields";

export const masc_pause = defineTool({
  name: "masc_pause",
  category: "core",
  description: "Pause the room: no new claims until masc_resume; work in progress can finish.",
  input: { reason: text(500, "Why the room is paused").optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ reason }, { db, now, session }) {
    return pause(db, now, session.agent, reason ?? null);
  },
});
