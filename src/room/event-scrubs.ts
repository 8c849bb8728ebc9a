/**
 * worktree_created and worktree_removed events used to carry the absolute path the developer's
 * masc-agent reported (home directory, user name) to every viewer. Stored ones keep what new ones
 * hold: the task, the branch and `.worktrees/<name>` (see `worktreeFor`).
 */
const PATH = "json_extract(data, '$.path')";
const RELATIVE = `CASE WHEN instr(${PATH}, '/.worktrees/') > 0 THEN substr(${PATH}, instr(${PATH}, '/.worktrees/') + 1) END`;
const FLAG = (name: string) => `CASE WHEN json_extract(data, '$.${name}') THEN json('true') ELSE json('false') END`;

export const SCRUB_WORKTREE_EVENTS = `
  UPDATE events SET data = json_set(data, '$.path', replace(coalesce(${PATH}, json_extract(data, '$.removed'), ''), char(92), '/'))
    WHERE kind IN ('worktree_created', 'worktree_removed');
  UPDATE events SET data = json_object('task_id', json_extract(data, '$.task_id'), 'branch', json_extract(data, '$.branch'), 'path', ${RELATIVE})
    WHERE kind = 'worktree_created';
  UPDATE events SET data = json_object('task_id', json_extract(data, '$.task_id'), 'branch', json_extract(data, '$.branch'), 'path', ${RELATIVE},
      'branch_deleted', ${FLAG("branch_deleted")}, 'was_dirty', ${FLAG("was_dirty")})
    WHERE kind = 'worktree_removed';
`;
