import type { Caller } from "./auth";
import type { RoomEvent } from "./events";
import { isFor } from "./push";
import { canSee, viewerOf } from "./visibility";

/** Who watches a room's feed, as far as deciding what it may see goes. */
export interface Audience {
  /** "client": an agent's own feed; "local-agent": a masc-agent daemon; "dashboard": a human watching. */
  kind: "client" | "local-agent" | "dashboard";
  agent: string | null;
  /** Who opened it (null: a room with auth off on loopback); what it may see and how long it may stay. */
  caller?: Caller | null;
}

/**
 * Dashboards and machine daemons watch the room; agents get what is meant for them. Either way a
 * socket sees only what its caller may see (portal messages and others' mentions are private).
 */
export function wants(info: Audience, event: RoomEvent): boolean {
  // A socket stored before callers were recorded is treated as the least trusted kind of viewer.
  const viewer = info.caller === undefined ? viewerOf({ agent: info.agent, role: "reader", via: "anonymous" }) : viewerOf(info.caller);
  if (!canSee(viewer, event)) return false;
  // A local-agent serves every agent on its machine and picks what to notify itself.
  return info.kind === "dashboard" || info.kind === "local-agent" || isFor(event, info.agent);
}
