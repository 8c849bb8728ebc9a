import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

async function scrape(path: string): Promise<Map<string, number>> {
  const res = await exports.default.fetch(`http://localhost${path}`);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-z_]+(?:\{[^}]*\})?) (-?[\d.]+)$/.exec(line);
    expect(m, line).not.toBeNull();
    if (m?.[1] && m[2]) samples.set(m[1], Number(m[2]));
  }
  return samples;
}

describe("Prometheus metrics", () => {
  it("counts tool calls by tool and outcome, with a latency histogram, sessions, tasks and events", async () => {
    const { client } = await connect("metrics-room", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    await call(client, "masc_add_task", { title: "a" });
    await call(client, "masc_add_task", { title: "b" });
    await call(client, "masc_claim", { agent_name: "claude", task_id: "task-404" });
    const m = await scrape("/r/metrics-room/metrics");
    const r = 'room="metrics-room"';
    expect(m.get(`masc_tool_calls_total{${r},tool="masc_add_task",outcome="ok"}`)).toBe(2);
    expect(m.get(`masc_tool_calls_total{${r},tool="masc_claim",outcome="error"}`)).toBe(1);
    expect(m.get(`masc_tool_call_duration_ms_count{${r},tool="masc_add_task"}`)).toBe(2);
    expect(m.get(`masc_tool_call_duration_ms_bucket{${r},tool="masc_add_task",le="+Inf"}`)).toBe(2);
    expect(m.get(`masc_sessions_open{${r}}`)).toBe(1);
    expect(m.get(`masc_tasks{${r},state="todo"}`)).toBe(2);
    expect(m.get(`masc_events_total{${r}}`)).toBeGreaterThanOrEqual(3);
    expect(m.get(`masc_events_per_second{${r}}`)).toBeGreaterThan(0);
    const all = await scrape("/metrics");
    expect(all.get(`masc_tool_calls_total{${r},tool="masc_add_task",outcome="ok"}`)).toBe(2);
    // The directory's own gauges lag by up to its report interval; present is what is pinned here.
    expect(all.has(`masc_room_open_tasks{${r}}`)).toBe(true);
    expect(all.get("masc_rooms")).toBeGreaterThanOrEqual(1);
    await client.close();
  });
});
