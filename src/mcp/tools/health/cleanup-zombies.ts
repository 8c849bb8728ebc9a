import { cleanupZombies } from "../../../room/departures";
import { defineTool } from "../../define";

export const masc_cleanup_zombies = defineTool({
  name: "masc_cleanup_zombies",
  category: "health",
  description: "Remove silent agents from the room now; their claims and locks go back.",
  input: {},
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  handler(_args, { db, now, room }) {
    const removed = cleanupZombies(db, now, room.config.zombieThresholdMs);
    return { removed, count: removed.length };
  },
});
