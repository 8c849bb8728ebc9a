import { CATEGORIES } from "../mcp/modes";

const SKILLS: Record<string, string> = {
  core: "Task board: add, claim, transition and finish tasks; room status and modes",
  comm: "Broadcast with @mentions, message history, long-poll listen, file locks, progress",
  portal: "Direct agent-to-agent channels",
  worktree: "Isolated git worktrees per agent and task",
  health: "Heartbeats, zombie detection and cleanup",
  discovery: "Capabilities, find agents by capability, metrics",
  voting: "Votes among agents",
  interrupt: "Human approval checkpoints",
  cost: "Token and cost tracking",
  auth: "Room tokens and roles",
  ratelimit: "Per-agent rate limits",
  encryption: "Encryption at rest",
};

/**
 * This server's A2A agent card. `base` is the server's origin; without one (inside a tool call)
 * the URLs are paths relative to it.
 */
export function agentCard(base: string, version: string, room = "default") {
  const mcp = room === "default" ? "/mcp" : `/r/${room}/mcp`;
  return {
    name: "masc",
    description: "Multi-agent streaming coordination: rooms where coding agents share a task board, locks and messages over MCP",
    url: `${base}${mcp}`,
    version,
    protocolVersion: "0.3.0",
    preferredTransport: "MCP streamable HTTP",
    capabilities: { streaming: true, pushNotifications: true, stateTransitionHistory: true },
    defaultInputModes: ["application/json", "text/plain"],
    defaultOutputModes: ["application/json", "text/plain"],
    skills: CATEGORIES.map((c) => ({ id: c, name: c, description: SKILLS[c] ?? c, tags: [c] })),
    endpoints: { mcp: `${base}/r/{room}/mcp`, websocket: `${base}/r/{room}/ws`, health: `${base}/health` },
  };
}
