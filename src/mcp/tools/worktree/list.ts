import { defineTool } from "../../define";

export const masc_worktree_list = defineTool({
  name: "masc_worktree_list",
  category: "worktree",
  description: "The repository's git worktrees, marking the ones masc made, via the connected masc-agent.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(_args, { room }) {
    return (await room.localAgents.request("worktree.list", {})) as object;
  },
});
