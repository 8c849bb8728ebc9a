import * as z from "zod";
import { castVote, viewVote } from "../../../room/votes";
import { defineTool } from "../../define";
import { agentName, voteId } from "../../fields";

export const masc_vote_cast = defineTool({
  name: "masc_vote_cast",
  category: "voting",
  description: "Cast or change your vote while the vote is open.",
  input: { agent_name: agentName, vote_id: voteId, choice: z.string().min(1).max(100).describe("One of the vote's options") },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler({ agent_name, vote_id, choice }, { db, now }) {
    return viewVote(db, castVote(db, now, agent_name, vote_id, choice));
  },
});
