/**
 * Directory and branch names for an (agent, task) pair, injective even on case-insensitive file
 * systems: `_` is written `__`, an upper-case letter `_` + its lower case, `:` `_-`. The encoded
 * parts hold no '.', so `<agent>.<task>` splits back into one pair. Mirrors the room's
 * src/room/worktree-names.ts (a test pins that both agree).
 */
export function encodeName(s: string): string {
  return s.replace(/[_A-Z:]/g, (c) => (c === "_" ? "__" : c === ":" ? "_-" : `_${c.toLowerCase()}`));
}

export const SAFE_AGENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const SAFE_TASK = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/;

export function names(agent: string, taskId: string): { dir: string; branch: string } {
  if (!SAFE_AGENT.test(agent)) throw new Error(`agent '${agent}' must start with a letter or digit, then letters, digits, '-' or '_'`);
  if (!SAFE_TASK.test(taskId)) throw new Error(`task '${taskId}' must start with a letter or digit, then letters, digits, '_', ':' or '-'`);
  const a = encodeName(agent);
  const t = encodeName(taskId);
  return { dir: `${a}.${t}`, branch: `${a}/${t}` };
}
