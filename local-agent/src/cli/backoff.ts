/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … never more than 30 s. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + random() * (base / 2));
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
