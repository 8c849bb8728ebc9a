import { resume } from "../../../room/pause";
import { defineTool } from "../../define";

export const masc_resume = defineTool({
  name: "masc_resume",
  category: "core",
  description: "Resume a paused room so agents can claim again.",
  input: {},
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now, session }) {
    return resume(db, now, session.agent);
  },
});
