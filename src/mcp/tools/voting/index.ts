import type { AnyTool } from "../../define";
import { masc_vote_cast } from "./vote-cast";
import { masc_vote_create } from "./vote-create";
import { masc_vote_status } from "./vote-status";
import { masc_votes } from "./votes";

export const votingTools: AnyTool[] = [masc_vote_create, masc_vote_cast, masc_vote_status, masc_votes];
