import * as z from "zod";
import type { VoteRow } from "../../../room/votes";
import { viewVote } from "../../../room/votes";
import { defineTool } from "../../define";
import { limit } from "../../fields";

export const masc_votes = defineTool({
  name: "masc_votes",
  category: "voting",
  description: "Votes in the room, newest first, optionally only open ones.",
  input: { status: z.enum(["open", "approved", "tied", "expired"]).optional().describe("Only votes in this state"), limit: limit(20, 100) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ status, limit }, { db }) {
    const rows = status
      ? db.all<VoteRow>("SELECT * FROM votes WHERE status = ? ORDER BY num DESC LIMIT ?", status, limit)
      : db.all<VoteRow>("SELECT * FROM votes ORDER BY num DESC LIMIT ?", limit);
    return { votes: rows.map((v) => viewVote(db, v)), count: rows.length };
  },
});
