import * as z from "zod";
import { fail } from "../../../room/errors";
import { MULTIPLIER, rateConfig, rateLimitsOn, setRateConfig } from "../../../room/ratelimit";
import { defineTool } from "../../define";

const perMinute = (what: string, fallback: number) =>
  z.number().int().min(1).max(10_000).optional().describe(`${what} calls per minute (default ${fallback})`);

export const masc_rate_limit_config = defineTool({
  name: "masc_rate_limit_config",
  category: "ratelimit",
  description: "Show the room's rate limits; with arguments, change them.",
  input: {
    enabled: z.boolean().optional().describe("Force limits on or off (by default they are on when auth is on)"),
    general: perMinute("General", 10),
    broadcast: perMinute("Broadcast", 15),
    task: perMinute("Task", 30),
    burst: z.number().int().min(0).max(1000).optional().describe("Extra calls allowed per minute (default 5)"),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  handler(args, { db, caller }) {
    const patch = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    if (Object.keys(patch).length && caller && caller.role !== "admin") fail("forbidden", "changing rate limits needs role admin");
    const config = Object.keys(patch).length ? setRateConfig(db, patch) : rateConfig(db);
    return { ...config, active: rateLimitsOn(db), role_multipliers: MULTIPLIER, window_s: 60 };
  },
});
