import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Db } from "./sql";

export type AgentStatus = "active" | "left" | "zombie";

export interface AgentRow {
  name: string;
  agent_type: string;
  status: AgentStatus;
  capabilities: string;
  joined_at: number;
  last_seen: number;
  left_at: number | null;
}

export interface AgentView {
  name: string;
  agent_type: string;
  status: "active" | "busy" | "left" | "zombie";
  is_zombie: boolean;
  current_task: string | null;
  capabilities: string[];
  joined_at: string;
  last_seen: string;
}

/** `claude-2` and `claude_review` are both of type `claude`; `@@claude` mentions all of them. */
export function agentType(name: string): string {
  return name.split(/[-_]/)[0] ?? name;
}

export function getAgent(db: Db, name: string): AgentRow | undefined {
  return db.one<AgentRow>("SELECT * FROM agents WHERE name = ?", name);
}

export function join(db: Db, now: number, name: string, capabilities?: string[]): { agent: AgentRow; rejoined: boolean } {
  const existing = getAgent(db, name);
  const caps = JSON.stringify(capabilities ?? (existing ? JSON.parse(existing.capabilities) : []));
  db.run(
    `INSERT INTO agents (name, agent_type, status, capabilities, joined_at, last_seen)
     VALUES (?, ?, 'active', ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET status = 'active', capabilities = excluded.capabilities,
       last_seen = excluded.last_seen, left_at = NULL`,
    name,
    agentType(name),
    caps,
    now,
    now,
  );
  appendEvent(db, now, { kind: "agent_joined", actor: name, data: { agent: name, capabilities: JSON.parse(caps) } });
  const agent = getAgent(db, name);
  if (!agent) fail("not_found", `agent ${name} vanished during join`);
  return { agent, rejoined: existing !== undefined };
}

/** Any agent that is in the room (a zombie is still in it until cleaned up, and revives on activity). */
export function requireJoined(db: Db, name: string): AgentRow {
  const agent = getAgent(db, name);
  if (!agent || agent.status === "left") {
    fail("not_joined", `agent '${name}' has not joined this room; call masc_join(agent_name: "${name}") first`, { agent: name });
  }
  return agent;
}

/**
 * Any tool call by a joined agent counts as activity; a zombie that speaks again is revived.
 * Returns whether more than `last_seen` changed (a revival), which views of the room show.
 */
export function touch(db: Db, now: number, name: string): boolean {
  if (db.run("UPDATE agents SET last_seen = ? WHERE name = ? AND status NOT IN ('left', 'zombie')", now, name) > 0) return false;
  return db.run("UPDATE agents SET last_seen = ?, status = 'active' WHERE name = ? AND status = 'zombie'", now, name) > 0;
}

export function heartbeat(db: Db, now: number, name: string): AgentRow {
  requireJoined(db, name);
  touch(db, now, name);
  return requireJoined(db, name);
}

export function currentTasks(db: Db): Map<string, string> {
  const rows = db.all<{ assignee: string; id: string }>(
    "SELECT assignee, id FROM tasks WHERE state IN ('claimed', 'in_progress') AND assignee IS NOT NULL ORDER BY claimed_at",
  );
  return new Map(rows.map((r) => [r.assignee, r.id]));
}

export function viewAgent(row: AgentRow, current: string | null): AgentView {
  const status = row.status === "active" && current ? "busy" : row.status;
  return {
    name: row.name,
    agent_type: row.agent_type,
    status,
    is_zombie: row.status === "zombie",
    current_task: current,
    capabilities: JSON.parse(row.capabilities) as string[],
    joined_at: new Date(row.joined_at).toISOString(),
    last_seen: new Date(row.last_seen).toISOString(),
  };
}

export function listAgents(db: Db, includeLeft = false): AgentView[] {
  const current = currentTasks(db);
  const rows = db.all<AgentRow>(
    includeLeft ? "SELECT * FROM agents ORDER BY joined_at, name" : "SELECT * FROM agents WHERE status != 'left' ORDER BY joined_at, name",
  );
  return rows.map((r) => viewAgent(r, current.get(r.name) ?? null));
}

/**
 * Name and shown status (busy: active and holding a task) of every agent in the room, in join
 * order: what masc_status needs, one indexed probe per agent instead of every agent's full view.
 */
export function agentStatuses(db: Db): Array<{ name: string; status: AgentView["status"] }> {
  return db.all<{ name: string; status: AgentView["status"] }>(
    `SELECT a.name, CASE WHEN a.status = 'active' AND EXISTS (
         SELECT 1 FROM tasks t WHERE t.assignee = a.name AND t.state IN ('claimed', 'in_progress')) THEN 'busy' ELSE a.status END AS status
     FROM agents a WHERE a.status != 'left' ORDER BY a.joined_at, a.name`,
  );
}

/** When the next agent would turn zombie, for the room alarm. */
export function nextZombieDue(db: Db, thresholdMs: number): number | null {
  const row = db.one<{ t: number | null }>("SELECT MIN(last_seen) AS t FROM agents WHERE status = 'active'");
  return row?.t == null ? null : row.t + thresholdMs;
}
