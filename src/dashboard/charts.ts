import type { Db } from "../room/sql";

const MINUTE = 60_000;
export const MAX_HOURS = 24;

/**
 * The first seq at or after time `t`, by binary search over the primary key: events are appended in
 * time order, so the window is a seq range and the chart never scans the whole log (no ts index).
 */
export function firstSeqAt(db: Db, t: number): number {
  const bounds = db.one<{ lo: number | null; hi: number | null }>("SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM events");
  let lo = bounds?.lo ?? 0;
  let hi = (bounds?.hi ?? 0) + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const at = db.one<{ seq: number; ts: number }>("SELECT seq, ts FROM events WHERE seq >= ? ORDER BY seq LIMIT 1", mid);
    if (!at || at.ts >= t) hi = mid;
    else lo = at.seq + 1;
  }
  return lo;
}

/**
 * Series for the page's charts over the last `hours`: events per minute, and cost per bucket with
 * its running total. Buckets with nothing in them are filled with zero, so the x axis is time.
 */
export function chartSeries(db: Db, now: number, hours: number) {
  const span = hours * 60 * MINUTE;
  const from = Math.floor((now - span) / MINUTE) * MINUTE;
  const minutes = Math.ceil((now - from) / MINUTE);
  const events = new Array<number>(minutes).fill(0);
  for (const r of db.all<{ b: number; n: number }>(
    "SELECT CAST((ts - ?) / ? AS INTEGER) AS b, COUNT(*) AS n FROM events WHERE seq >= ? AND ts >= ? GROUP BY b",
    from,
    MINUTE,
    firstSeqAt(db, from),
    from,
  )) {
    if (r.b >= 0 && r.b < minutes) events[r.b] = r.n;
  }
  // Cost buckets are wider (hours/60, at least a minute) so a few entries still read as a line.
  const costBucket = Math.max(MINUTE, Math.ceil(span / 60 / MINUTE) * MINUTE);
  const buckets = Math.ceil((now - from) / costBucket);
  const cost = new Array<number>(buckets).fill(0);
  for (const r of db.all<{ b: number; c: number }>(
    "SELECT CAST((ts - ?) / ? AS INTEGER) AS b, SUM(cost_usd) AS c FROM costs WHERE ts >= ? GROUP BY b",
    from,
    costBucket,
    from,
  )) {
    if (r.b >= 0 && r.b < buckets) cost[r.b] = r.c;
  }
  const before = db.one<{ c: number | null }>("SELECT SUM(cost_usd) AS c FROM costs WHERE ts < ?", from)?.c ?? 0;
  let running = before;
  const cumulative = cost.map((c) => {
    running += c;
    return Math.round(running * 1e6) / 1e6;
  });
  return {
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    events_per_minute: { bucket_ms: MINUTE, values: events },
    cost: { bucket_ms: costBucket, per_bucket: cost.map((c) => Math.round(c * 1e6) / 1e6), cumulative },
  };
}
