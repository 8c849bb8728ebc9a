/** Polls `fn` until it returns something other than undefined; fails naming `what` after `timeoutMs`. */
export async function until<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
  pauseMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
