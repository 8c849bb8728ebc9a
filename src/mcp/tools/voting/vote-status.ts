import { getVote, viewVote } from "../../../room/votes";
import { defineTool } from "../../define";
import { voteId } from "../../fields";

export const masc_vote_status = defineTool({
  name: "masc_vote_status",
  category: "voting",
  description: "A vote's options, tally, voters and outcome.",
  input: { vote_id: voteId },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler({ vote_id }, { db }) {
    return viewVote(db, getVote(db, vote_id));
  },
});
