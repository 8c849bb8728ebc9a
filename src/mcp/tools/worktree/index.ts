import type { AnyTool } from "../../define";
import { masc_worktree_create } from "./create";
import { masc_worktree_list } from "./list";
import { masc_worktree_remove } from "./remove";

export const worktreeTools: AnyTool[] = [masc_worktree_create, masc_worktree_remove, masc_worktree_list];
