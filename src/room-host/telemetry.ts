import { listAgents } from "../room/agents";
import type { Db } from "../room/sql";
import { countByState } from "../room/tasks";

/** Upper bounds (ms) of the tool-call latency histogram. */
export const BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 30000] as const;

interface ToolStats {
  ok: number;
  error: number;
  buckets: number[];
  sumMs: number;
}

/**
 * In-memory counters of one room's tool calls. They restart from zero when the room is evicted,
 * which Prometheus handles as a counter reset. Durations are wall time as the runtime reports it:
 * workerd advances clocks only across I/O, so pure SQL work reads as ~0 ms.
 */
export class Telemetry {
  readonly #tools = new Map<string, ToolStats>();

  observe(tool: string, ms: number, outcome: "ok" | "error"): void {
    let s = this.#tools.get(tool);
    if (!s) {
      s = { ok: 0, error: 0, buckets: BUCKETS_MS.map(() => 0), sumMs: 0 };
      this.#tools.set(tool, s);
    }
    s[outcome]++;
    s.sumMs += ms;
    BUCKETS_MS.forEach((le, i) => {
      if (ms <= le) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
  }

  /** Prometheus text exposition format 0.0.4. */
  render(db: Db, room: string, open: { sessions: number; sockets: number }, now: number): string {
    const r = `room="${room.replace(/["\\\n]/g, "_")}"`;
    const lines: string[] = [];
    const head = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    head("masc_tool_calls_total", "counter", "Tool calls by tool and outcome.");
    for (const [tool, s] of this.#tools) {
      lines.push(
        `masc_tool_calls_total{${r},tool="${tool}",outcome="ok"} ${s.ok}`,
        `masc_tool_calls_total{${r},tool="${tool}",outcome="error"} ${s.error}`,
      );
    }
    head("masc_tool_call_duration_ms", "histogram", "Tool call latency in milliseconds.");
    for (const [tool, s] of this.#tools) {
      for (const [i, le] of BUCKETS_MS.entries())
        lines.push(`masc_tool_call_duration_ms_bucket{${r},tool="${tool}",le="${le}"} ${s.buckets[i]}`);
      lines.push(
        `masc_tool_call_duration_ms_bucket{${r},tool="${tool}",le="+Inf"} ${s.ok + s.error}`,
        `masc_tool_call_duration_ms_sum{${r},tool="${tool}"} ${s.sumMs}`,
        `masc_tool_call_duration_ms_count{${r},tool="${tool}"} ${s.ok + s.error}`,
      );
    }
    head("masc_sessions_open", "gauge", "MCP sessions held in memory by the room.");
    lines.push(`masc_sessions_open{${r}} ${open.sessions}`);
    head("masc_sockets_open", "gauge", "WebSockets connected to the room.");
    lines.push(`masc_sockets_open{${r}} ${open.sockets}`);
    head("masc_tasks", "gauge", "Tasks on the board by state.");
    for (const [state, n] of Object.entries(countByState(db))) lines.push(`masc_tasks{${r},state="${state}"} ${n}`);
    head("masc_agents", "gauge", "Agents in the room by status.");
    const agents = listAgents(db);
    for (const status of ["active", "busy", "zombie"])
      lines.push(`masc_agents{${r},status="${status}"} ${agents.filter((a) => a.status === status).length}`);
    const last = db.one<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events")?.seq ?? 0;
    const recent = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE ts > ?", now - 60_000)?.n ?? 0;
    head("masc_events_total", "counter", "Events appended to the room's log (its last seq).");
    lines.push(`masc_events_total{${r}} ${last}`);
    head("masc_events_per_second", "gauge", "Events per second over the last minute.");
    lines.push(`masc_events_per_second{${r}} ${(recent / 60).toFixed(3)}`);
    return `${lines.join("\n")}\n`;
  }
}
