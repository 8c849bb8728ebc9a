import type { Caller } from "./auth";

/** Who may open a kind=local-agent socket: an open room on loopback, an admin, or a worker token. */
export function mayRegisterDaemon(caller: Caller | null): boolean {
  return caller === null || caller.role === "admin" || (caller.role === "worker" && caller.agent !== null);
}

/** A daemon on an admin credential (or in an open room) serves every agent; a worker's only its own. */
export function servesAgent(caller: Caller | null | undefined, agent: string | null): boolean {
  if (caller === undefined) return false;
  if (caller === null || caller.role === "admin") return true;
  return agent !== null && caller.agent === agent;
}
