import { pauseState } from "../../../room/pause";
import { defineTool } from "../../define";

export const masc_pause_status = defineTool({
  name: "masc_pause_status",
  category: "core",
  description: "Whether the room is paused, by whom and why.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db }) {
    return pauseState(db);
  },
});
