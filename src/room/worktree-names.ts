/**
 * Directory and branch names for an (agent, task) pair, injective even on case-insensitive file
 * systems: `_` is written `__`, an upper-case letter `_` + its lower case, `:` `_-`. The encoded
 * parts hold no '.', so `<agent>.<task>` splits back into one pair. The masc-agent computes the
 * same (local-agent/src/git/names.ts; a test pins that both agree); the room checks its replies.
 */
export function encodeName(s: string): string {
  return s.replace(/[_A-Z:]/g, (c) => (c === "_" ? "__" : c === ":" ? "_-" : `_${c.toLowerCase()}`));
}

export function worktreeNames(agent: string, taskId: string): { dir: string; branch: string } {
  const a = encodeName(agent);
  const t = encodeName(taskId);
  return { dir: `${a}.${t}`, branch: `${a}/${t}` };
}
