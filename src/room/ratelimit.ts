import { authEnabled } from "./auth";
import { fail } from "./errors";
import { getJsonMeta, setJsonMeta } from "./meta";
import type { Role } from "./permissions";
import type { Db } from "./sql";

export const RATE_CATEGORIES = ["general", "broadcast", "task"] as const;
export type RateCategory = (typeof RATE_CATEGORIES)[number];

export interface RateConfig {
  /** null: on exactly when the room has auth on. */
  enabled: boolean | null;
  general: number;
  broadcast: number;
  task: number;
  burst: number;
}

export const DEFAULT_RATES: RateConfig = { enabled: null, general: 10, broadcast: 15, task: 30, burst: 5 };
export const MULTIPLIER: Record<Role, number> = { reader: 0.5, worker: 1, admin: 2 };
const WINDOW_MS = 60_000;

const TASK_TOOLS = new Set([
  "masc_add_task",
  "masc_batch_add_tasks",
  "masc_claim",
  "masc_claim_next",
  "masc_transition",
  "masc_release",
  "masc_done",
  "masc_cancel_task",
  "masc_update_priority",
]);
const BROADCAST_TOOLS = new Set(["masc_broadcast", "masc_portal_send", "masc_portal_open"]);

export function categoryOf(tool: string): RateCategory {
  if (TASK_TOOLS.has(tool)) return "task";
  if (BROADCAST_TOOLS.has(tool)) return "broadcast";
  return "general";
}

export function rateConfig(db: Db): RateConfig {
  return { ...DEFAULT_RATES, ...getJsonMeta<Partial<RateConfig>>(db, "rate_limits") };
}

export function setRateConfig(db: Db, patch: Partial<RateConfig>): RateConfig {
  const next = { ...rateConfig(db), ...patch };
  setJsonMeta(db, "rate_limits", next);
  return next;
}

export function rateLimitsOn(db: Db): boolean {
  const { enabled } = rateConfig(db);
  return enabled ?? authEnabled(db);
}

/** Calls allowed per minute: the category's rate times the role's multiplier, plus the burst. */
export function limitFor(config: RateConfig, category: RateCategory, role: Role): number {
  return Math.floor(config[category] * MULTIPLIER[role]) + config.burst;
}

/** Counts one call in a fixed 60 s window; refuses it, saying when to retry, once over the limit. */
export function hit(db: Db, now: number, who: string, category: RateCategory, role: Role): void {
  const limit = limitFor(rateConfig(db), category, role);
  const row = db.one<{ window_start: number; count: number }>(
    "SELECT window_start, count FROM rate_hits WHERE agent = ? AND category = ?",
    who,
    category,
  );
  const fresh = !row || now - row.window_start >= WINDOW_MS;
  if (!fresh && row.count >= limit) {
    const retry = Math.ceil((row.window_start + WINDOW_MS - now) / 1000);
    fail("rate_limited", `${who} made ${row.count} ${category} calls this minute (limit ${limit}); retry in ${retry}s`, {
      category,
      limit,
      retry_after_s: retry,
    });
  }
  db.run(
    `INSERT INTO rate_hits (agent, category, window_start, count) VALUES (?, ?, ?, 1)
     ON CONFLICT (agent, category) DO UPDATE SET
       window_start = CASE WHEN ? - window_start >= ${WINDOW_MS} THEN ? ELSE window_start END,
       count = CASE WHEN ? - window_start >= ${WINDOW_MS} THEN 1 ELSE count + 1 END`,
    who,
    category,
    now,
    now,
    now,
    now,
  );
}

/** A window that ended long ago says nothing a fresh one would not; an hour keeps recent ones to show. */
const STALE_MS = 3_600_000;

/** When the oldest counter goes stale, for the room alarm. */
export function nextStaleWindow(db: Db): number | null {
  const t = db.one<{ t: number | null }>("SELECT MIN(window_start) AS t FROM rate_hits")?.t;
  return t == null ? null : t + STALE_MS;
}

/** Drops stale counters, so callers that came once (e.g. anonymous sessions) leave no row behind. */
export function pruneRateWindows(db: Db, now: number): number {
  return db.run("DELETE FROM rate_hits WHERE window_start <= ?", now - STALE_MS);
}

export function rateStatus(db: Db, now: number, who: string, role: Role) {
  const config = rateConfig(db);
  return {
    agent: who,
    role,
    enabled: rateLimitsOn(db),
    categories: RATE_CATEGORIES.map((category) => {
      const row = db.one<{ window_start: number; count: number }>(
        "SELECT window_start, count FROM rate_hits WHERE agent = ? AND category = ?",
        who,
        category,
      );
      const live = row && now - row.window_start < WINDOW_MS;
      return {
        category,
        used: live ? row.count : 0,
        limit: limitFor(config, category, role),
        resets_at: live ? new Date(row.window_start + WINDOW_MS).toISOString() : null,
      };
    }),
  };
}
