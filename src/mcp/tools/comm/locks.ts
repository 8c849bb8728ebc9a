import * as z from "zod";
import { listLocks } from "../../../room/locks";
import { defineTool } from "../../define";
import { limit, otherAgent } from "../../fields";

export const masc_locks = defineTool({
  name: "masc_locks",
  category: "comm",
  description: "List live locks and leases with holder, fencing token and expiry.",
  input: {
    holder: otherAgent("Only locks held by this agent").optional(),
    limit: limit(50, 200),
    cursor: z.string().max(512).optional().describe("next_cursor from the previous page"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ holder, limit, cursor }, { db, now }) {
    return { ...listLocks(db, now, { holder, limit, cursor }) };
  },
});
