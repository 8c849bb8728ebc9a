/**
 * Actions that cannot be taken back. Approving one from the page needs the task id typed in, so
 * a stray click on `git push --force` does nothing.
 */
const PATTERNS: readonly RegExp[] = [
  /--force\b/,
  /(^|\s)-f(\s|$)/,
  /\bpush\s+\S+\s+\+/,
  /\brm\s+-[a-z]*r[a-z]*f|\brm\s+-[a-z]*f[a-z]*r/i,
  /\bDROP\s+(TABLE|DATABASE|SCHEMA|INDEX)\b/i,
  /\bDELETE\s+FROM\b/i,
  /\bTRUNCATE\b/i,
  /\breset\s+--hard\b/,
  /\bclean\s+-[a-z]*f/,
  /\bbranch\s+-D\b/,
  /\bmkfs\b|\bdd\s+if=/,
];

export function isDestructive(action: string): boolean {
  return PATTERNS.some((p) => p.test(action));
}
