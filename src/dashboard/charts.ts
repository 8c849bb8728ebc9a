import { costBefore, costPerBucket } from "../room/costs";
import { eventsPerBucket } from "../room/events";
import type { Db } from "../room/sql";

const MINUTE = 60_000;
export const MAX_HOURS = 24;

/**
 * Series for the page's charts over the last `hours`: events per minute, and cost per bucket with
 * its running total. Buckets with nothing in them are filled with zero, so the x axis is time.
 */
export function chartSeries(db: Db, now: number, hours: number) {
  const span = hours * 60 * MINUTE;
  const from = Math.floor((now - span) / MINUTE) * MINUTE;
  const events = eventsPerBucket(db, from, MINUTE, Math.ceil((now - from) / MINUTE));
  // Cost buckets are wider (hours/60, at least a minute) so a few entries still read as a line.
  const costBucket = Math.max(MINUTE, Math.ceil(span / 60 / MINUTE) * MINUTE);
  const cost = costPerBucket(db, from, costBucket, Math.ceil((now - from) / costBucket));
  let running = costBefore(db, from);
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
