/** Domain failures: thrown by domain functions, turned into `isError` tool results in one place. */
export type ErrorCode =
  | "invalid_input"
  | "invalid_path"
  | "not_joined"
  | "not_found"
  | "task_not_found"
  | "task_already_claimed"
  | "task_blocked"
  | "dependency_cycle"
  | "budget_exceeded"
  | "not_assignee"
  | "invalid_transition"
  | "version_conflict"
  | "room_paused"
  | "no_tasks"
  | "lock_held"
  | "lock_not_held"
  | "portal_error"
  | "already_decided"
  | "vote_closed"
  | "forbidden"
  | "unauthorized"
  | "rate_limited"
  | "encryption_error"
  | "no_local_agent"
  | "local_agent_error"
  | "conflict";

export class MascError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "MascError";
  }
}

export function fail(code: ErrorCode, message: string, data?: Record<string, unknown>): never {
  throw new MascError(code, message, data);
}

/** The one-line wire text of an error: `code: what happened; what to do`. */
export function errorText(err: MascError): string {
  return `${err.code}: ${err.message}`;
}
