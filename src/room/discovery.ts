import { currentTasks, requireJoined } from "./agents";
import { fail } from "./errors";
import { appendEvent } from "./events";
import type { Db } from "./sql";

export const DECLARED_STATUSES = ["available", "busy", "away"] as const;
export type DeclaredStatus = (typeof DECLARED_STATUSES)[number];

export interface DiscoveredAgent {
  name: string;
  agent_type: string;
  status: string;
  declared_status: DeclaredStatus | null;
  is_active: boolean;
  idle_s: number;
  current_task: string | null;
  capabilities: string[];
}

interface Row {
  name: string;
  agent_type: string;
  status: string;
  declared_status: DeclaredStatus | null;
  capabilities: string;
  last_seen: number;
}

/** Replaces an agent's capabilities and/or its self-declared status (not the lifecycle status). */
export function updateAgent(
  db: Db,
  now: number,
  agent: string,
  patch: { capabilities?: string[]; status?: DeclaredStatus },
): DiscoveredAgent {
  requireJoined(db, agent);
  if (patch.capabilities) {
    const caps = [...new Set(patch.capabilities.map((c) => c.trim()).filter(Boolean))];
    db.run("UPDATE agents SET capabilities = ? WHERE name = ?", JSON.stringify(caps), agent);
  }
  if (patch.status) db.run("UPDATE agents SET declared_status = ? WHERE name = ?", patch.status, agent);
  const found = discoverAgents(db, now, { name: agent })[0];
  appendEvent(db, now, {
    kind: "agent_updated",
    actor: agent,
    data: { agent, capabilities: found?.capabilities ?? [], declared_status: found?.declared_status ?? null },
  });
  return found ?? fail("not_joined", `agent '${agent}' left while updating; call masc_join again`, { agent });
}

/**
 * Agents in the room, optionally only those declaring `capability` (case-insensitive), active
 * ones first, then the least idle.
 */
export function discoverAgents(db: Db, now: number, opts: { capability?: string; name?: string } = {}): DiscoveredAgent[] {
  const rows = db.all<Row>(
    `SELECT name, agent_type, status, declared_status, capabilities, last_seen FROM agents a
     WHERE status != 'left' AND (? IS NULL OR name = ?)
       AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(a.capabilities) c WHERE lower(c.value) = lower(?)))
     ORDER BY status = 'active' DESC, last_seen DESC, name`,
    opts.name ?? null,
    opts.name ?? null,
    opts.capability ?? null,
    opts.capability ?? null,
  );
  const current = currentTasks(db);
  return rows.map((r) => ({
    name: r.name,
    agent_type: r.agent_type,
    status: r.status === "active" && current.has(r.name) ? "busy" : r.status,
    declared_status: r.declared_status,
    is_active: r.status === "active",
    idle_s: Math.max(0, Math.round((now - r.last_seen) / 1000)),
    current_task: current.get(r.name) ?? null,
    capabilities: JSON.parse(r.capabilities) as string[],
  }));
}
