import { roomUrl } from "./resolve.ts";

export type ServerCheck =
  | { ok: true; version: string | null; auth: "open" | "token accepted" }
  | { ok: false; problem: "unreachable" | "not masc" | "auth needed" | "token refused" | "room error"; message: string };

/** Is the server there, is it masc, and does the room let us in? One /health and one room request. */
export async function checkServer(s: { url: string; room: string; token?: string | undefined }, timeoutMs = 5_000): Promise<ServerCheck> {
  let health: Response;
  try {
    health = await fetch(`${s.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return {
      ok: false,
      problem: "unreachable",
      message: `masc server unreachable at ${s.url} (${why}); is it running? check --url or MASC_URL`,
    };
  }
  const body = (await health.json().catch(() => null)) as { server?: string; version?: string } | null;
  if (!health.ok || body?.server !== "masc") {
    return { ok: false, problem: "not masc", message: `${s.url}/health answered ${health.status} but not as a masc server; check --url` };
  }
  const res = await fetch(roomUrl(s, "api/overview"), {
    headers: s.token ? { authorization: `Bearer ${s.token}` } : {},
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err: Error) => err);
  if (res instanceof Error) return { ok: false, problem: "unreachable", message: `room ${s.room} did not answer: ${res.message}` };
  const said = res.ok || res.status === 401 ? null : ((await res.json().catch(() => null)) as { message?: unknown } | null);
  await res.body?.cancel().catch(() => {});
  if (res.status === 401) {
    return s.token
      ? { ok: false, problem: "token refused", message: `room ${s.room} refused the token: check --token / MASC_TOKEN` }
      : { ok: false, problem: "auth needed", message: `room ${s.room} has auth on: pass --token or set MASC_TOKEN` };
  }
  if (!res.ok) {
    const why = typeof said?.message === "string" ? `: ${said.message}` : "";
    return { ok: false, problem: "room error", message: `room ${s.room} answered ${res.status}${why}` };
  }
  return { ok: true, version: body.version ?? null, auth: s.token ? "token accepted" : "open" };
}
