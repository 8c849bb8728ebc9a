import * as z from "zod";
import { collectGarbage } from "../../../room/gc";
import { defineTool } from "../../define";

export const masc_gc = defineTool({
  name: "masc_gc",
  category: "health",
  description: "Archive finished tasks and prune departed agents and events older than N days.",
  input: { days: z.number().int().min(1).max(3650).default(7).describe("Age in days (1-3650, default 7)") },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  handler({ days }, { db, now, session }) {
    return collectGarbage(db, now, days, session.agent);
  },
});
