import { fail } from "./errors";
import { appendEvent } from "./events";
import { deleteMeta, getMeta, setMeta } from "./meta";
import type { Db } from "./sql";

export interface PauseState {
  paused: boolean;
  reason: string | null;
  paused_by: string | null;
  paused_at: string | null;
}

export function pauseState(db: Db): PauseState {
  const at = getMeta(db, "paused_at");
  return {
    paused: at !== undefined,
    reason: getMeta(db, "pause_reason") ?? null,
    paused_by: getMeta(db, "paused_by") ?? null,
    paused_at: at === undefined ? null : new Date(Number(at)).toISOString(),
  };
}

/** While paused, nobody takes new work; everything else (finishing, talking) goes on. */
export function pause(db: Db, now: number, by: string | null, reason: string | null): PauseState {
  setMeta(db, "paused_at", String(now));
  if (reason) setMeta(db, "pause_reason", reason);
  else deleteMeta(db, "pause_reason");
  if (by) setMeta(db, "paused_by", by);
  else deleteMeta(db, "paused_by");
  appendEvent(db, now, { kind: "room_paused", actor: by, data: { reason } });
  return pauseState(db);
}

export function resume(db: Db, now: number, by: string | null): PauseState {
  const was = pauseState(db);
  for (const key of ["paused_at", "pause_reason", "paused_by"]) deleteMeta(db, key);
  if (was.paused) appendEvent(db, now, { kind: "room_resumed", actor: by, data: {} });
  return pauseState(db);
}

export function requireNotPaused(db: Db): void {
  const state = pauseState(db);
  if (state.paused) {
    const why = state.reason ? ` (${state.reason})` : "";
    fail("room_paused", `the room is paused${why}; no new claims until someone calls masc_resume`, { ...state });
  }
}
