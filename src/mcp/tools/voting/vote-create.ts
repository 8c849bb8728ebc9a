import * as z from "zod";
import { createVote, viewVote } from "../../../room/votes";
import { defineTool } from "../../define";
import { otherAgent } from "../../fields";

export const masc_vote_create = defineTool({
  name: "masc_vote_create",
  category: "voting",
  description: "Propose a decision with options; it resolves when enough agents voted or at the deadline.",
  input: {
    proposer: otherAgent("Your agent name"),
    topic: z.string().trim().min(1, "must not be empty").max(500).describe("What is being decided"),
    options: z.array(z.string().trim().min(1).max(100)).min(2, "must hold at least two options").max(20).describe("The choices"),
    required_votes: z.number().int().min(1).max(100).default(2).describe("Distinct voters needed to resolve (quorum)"),
    deadline_minutes: z.number().int().min(1).max(10_080).optional().describe("Close after this many minutes even without quorum"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  handler({ proposer, topic, options, required_votes, deadline_minutes }, { db, now }) {
    const vote = createVote(db, now, {
      proposer,
      topic,
      options,
      required_votes,
      deadline: deadline_minutes ? now + deadline_minutes * 60_000 : null,
    });
    return viewVote(db, vote);
  },
});
