import { roomUrl, type Settings } from "./resolve.ts";

/** What the room's hook API tells an agent's edit and prompt hooks and the git pre-commit guard. */
export interface HookInfo {
  lock: { file: string; path?: string; holder: string; expires_at: string } | null;
  mentions: Array<{ seq: number; from: string | null; content: string }>;
  pending_interrupts: Array<{ task_id: string; agent: string; step: number; message: string }>;
}

const TIMEOUT_MS = 2_000;

/** One HTTP round trip to the room; null when the room cannot be reached in time. */
export async function fetchHookInfo(s: Settings, agent: string | null, files: readonly string[]): Promise<HookInfo | { error: string }> {
  const u = new URL(roomUrl(s, "api/hook"));
  if (agent) u.searchParams.set("agent", agent);
  for (const file of files) u.searchParams.append("file", file);
  try {
    const res = await fetch(u, { headers: s.token ? { authorization: `Bearer ${s.token}` } : {}, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.status === 401) return { error: "the room refused the token (set MASC_TOKEN)" };
    if (!res.ok) return { error: `the room answered ${res.status}` };
    return (await res.json()) as HookInfo;
  } catch (err) {
    return { error: `room unreachable at ${s.url} (${err instanceof Error ? err.message : String(err)})` };
  }
}
