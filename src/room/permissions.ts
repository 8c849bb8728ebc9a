import { fail } from "./errors";

/** Roles, weakest first: each can do everything the ones before it can. */
export const ROLES = ["reader", "worker", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * The one permission table: the weakest role that may call each tool. A tool missing here is
 * admin-only (fail-closed), and a test checks every registered tool is listed.
 */
export const PERMISSIONS: Readonly<Record<string, Role>> = {
  // Reading the room, joining and leaving, this session's own settings.
  masc_status: "reader",
  masc_tasks: "reader",
  masc_task_history: "reader",
  masc_archive_view: "reader",
  masc_pause_status: "reader",
  masc_get_config: "reader",
  masc_switch_mode: "reader",
  masc_join: "reader",
  masc_leave: "reader",
  masc_heartbeat: "reader",
  masc_agents: "reader",
  masc_messages: "reader",
  masc_search: "reader",
  masc_listen: "reader",
  masc_who: "reader",
  masc_locks: "reader",
  masc_portal_status: "reader",
  masc_find_by_capability: "reader",
  masc_a2a_discover: "reader",
  masc_get_metrics: "reader",
  masc_vote_status: "reader",
  masc_votes: "reader",
  masc_pending_interrupts: "reader",
  masc_cost_report: "reader",
  masc_budget_status: "reader",
  masc_auth_status: "reader",
  masc_rate_limit_status: "reader",
  // Anyone may read the limits; changing them is checked for admin in the tool.
  masc_rate_limit_config: "reader",
  masc_encryption_status: "reader",
  // Doing work: tasks, talking, locks, portals, worktrees, votes, asking for approval, logging cost.
  masc_add_task: "worker",
  masc_batch_add_tasks: "worker",
  masc_claim: "worker",
  masc_claim_next: "worker",
  masc_transition: "worker",
  masc_release: "worker",
  masc_done: "worker",
  masc_cancel_task: "worker",
  masc_update_priority: "worker",
  masc_task_deps: "worker",
  masc_broadcast: "worker",
  masc_progress: "worker",
  masc_lock: "worker",
  masc_unlock: "worker",
  masc_portal_open: "worker",
  masc_portal_send: "worker",
  masc_portal_close: "worker",
  masc_register_capabilities: "worker",
  masc_agent_update: "worker",
  masc_worktree_create: "worker",
  masc_worktree_remove: "worker",
  // It asks a developer's machine to run git and answers with its absolute paths: not for readers.
  masc_worktree_list: "worker",
  masc_vote_create: "worker",
  masc_vote_cast: "worker",
  masc_interrupt: "worker",
  masc_branch: "worker",
  masc_cost_log: "worker",
  masc_auth_refresh: "worker",
  // Running the room: lifecycle, decisions that need a human, security settings.
  masc_init: "admin",
  masc_pause: "admin",
  masc_resume: "admin",
  masc_gc: "admin",
  masc_cleanup_zombies: "admin",
  masc_approve: "admin",
  masc_reject: "admin",
  masc_auth_enable: "admin",
  masc_auth_disable: "admin",
  masc_auth_create_token: "admin",
  masc_auth_revoke: "admin",
  masc_auth_list: "admin",
  masc_auth_invite: "admin",
  masc_encryption_enable: "admin",
  masc_encryption_disable: "admin",
  masc_generate_key: "admin",
  masc_budget_set: "admin",
};

export function requiredRole(tool: string): Role {
  return PERMISSIONS[tool] ?? "admin";
}

/**
 * `force` on a tool (another agent's lock or task) is an admin's override. With auth off there
 * are no roles, so anyone may, as anyone may approve.
 */
export function requireOverride(caller: { role: Role; agent: string | null } | null, what: string): void {
  if (caller && !atLeast(caller.role, "admin"))
    fail("forbidden", `${what} with force needs role admin; ${caller.agent ?? "this caller"} is ${caller.role}`, { needed: "admin" });
}
