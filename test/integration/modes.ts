import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { CATEGORIES } from "../../src/mcp/modes";
import type { Room } from "../../src/room-host/room";

/** Puts every live session of a room in mode "full", whatever tools exist to switch modes. */
export async function fullMode(room: string): Promise<void> {
  await runInDurableObject(env.ROOM.getByName(room), (instance: Room) => {
    for (const session of instance.core.sessions.live) session.setMode("full", CATEGORIES);
  });
}
