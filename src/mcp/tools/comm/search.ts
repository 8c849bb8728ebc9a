import * as z from "zod";
import { SEARCH_KINDS, search } from "../../../room/search";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { limit } from "../../fields";

export const masc_search = defineTool({
  name: "masc_search",
  category: "comm",
  description: "Full-text search of messages, tasks and interrupts, ranked.",
  input: {
    query: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").describe("FTS5 query"),
    kinds: z.array(z.enum(SEARCH_KINDS)).max(3).optional(),
    limit: limit(10, 50),
    cursor: z
      .string()
      .regex(/^\d{1,5}$/, "must be the next_cursor of a previous masc_search page")
      .optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ query, kinds, limit, cursor }, { db, caller }) {
    return { ...search(db, query, kinds ?? [], limit, Number(cursor ?? 0), viewerOf(caller)) };
  },
});
