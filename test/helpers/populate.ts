import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { mcpClient, tool } from "./client";

export const AGENTS = ["claude", "codex", "gemini", "cursor"] as const;

/**
 * A room as a lead finds it mid-day: four agents, eight tasks in every state, messages with
 * mentions, two pending approvals (one destructive), file locks, an open vote, progress and cost.
 * Returns the MCP client (full mode, room without auth) that made it, for checking changes.
 */
export async function populateRoom(url: string): Promise<Client> {
  const { client } = await mcpClient(url, "populate");
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await tool(client, name, args);
    if (r.isError) throw new Error(`${name}: ${r.text}`);
    return r.json;
  };
  await call("masc_switch_mode", { mode: "full" });
  for (const a of AGENTS) await call("masc_join", { agent_name: a, capabilities: ["typescript"] });
  const titles: Array<[string, number, string]> = [
    ["Set up CI pipeline", 2, "GitHub Actions: lint, types, unit and e2e on every push."],
    ["Migrate auth to OAuth", 1, "Replace room secrets with OAuth 2.1 for remote rooms."],
    ["Fix flaky websocket test", 2, "ws-delivery fails 1 in 50 runs under load."],
    ["Write release notes", 4, ""],
    ["Drop legacy tables", 3, "sessions_v1 and events_v1 are unused since the migration."],
    ["Rotate API keys", 1, "Production keys are 400 days old."],
    ["Refactor task board", 3, "Split the board into columns by state with progress bars."],
    ["Update dependencies", 2, ""],
  ];
  for (const [title, priority, description] of titles)
    await call("masc_add_task", { title, priority, ...(description ? { description } : {}) });
  await call("masc_claim", { agent_name: "claude", task_id: "task-001" });
  await call("masc_done", { agent_name: "claude", task_id: "task-001", notes: "CI runs in 4 min; badge added to the README." });
  await call("masc_claim", { agent_name: "codex", task_id: "task-002" });
  await call("masc_transition", { agent_name: "codex", task_id: "task-002", action: "start" });
  await call("masc_claim", { agent_name: "gemini", task_id: "task-003" });
  await call("masc_claim", { agent_name: "claude", task_id: "task-005" });
  await call("masc_cancel_task", { agent_name: "claude", task_id: "task-005", reason: "superseded by the retention job" });
  await call("masc_claim", { agent_name: "cursor", task_id: "task-007" });
  await call("masc_transition", { agent_name: "cursor", task_id: "task-007", action: "start" });

  await call("masc_broadcast", { agent_name: "claude", message: "CI is green on main. @codex the OAuth branch can rebase now." });
  await call("masc_broadcast", { agent_name: "codex", message: "@claude thanks, rebasing. Need approval to force-push after the rebase." });
  const first = (await call("masc_broadcast", { agent_name: "claude", message: "Who reviews the lock leases PR?" })).seq as number;
  await call("masc_broadcast", { agent_name: "gemini", message: "I will, after the ws fix.", reply_to: first });
  await call("masc_broadcast", { agent_name: "gemini", message: "Looking at the flaky ws test; @@claude any idea why delivery races?" });
  await call("masc_broadcast", { agent_name: "cursor", message: "@all board refactor is 60% done, screenshots soon." });

  await call("masc_lock", { agent_name: "codex", file: "src/auth/oauth.ts" });
  await call("masc_lock", { agent_name: "cursor", file: "src/dashboard/page.ts" });
  await call("masc_lock", { agent_name: "gemini", file: "test/integration/ws-delivery.test.ts" });
  await call("masc_lock", { agent_name: "claude", file: "docs/" });

  await call("masc_vote_create", {
    proposer: "claude",
    topic: "Switch the package manager to pnpm?",
    options: ["yes", "no", "later"],
    required_votes: 4,
    deadline_minutes: 90,
  });
  await call("masc_vote_cast", { agent_name: "codex", vote_id: "vote-001", choice: "yes" });
  await call("masc_vote_cast", { agent_name: "gemini", vote_id: "vote-001", choice: "later" });

  await call("masc_progress", {
    agent_name: "cursor",
    task_id: "task-007",
    action: "update",
    progress: 3,
    total_steps: 5,
    message: "columns done",
  });
  await call("masc_progress", {
    agent_name: "codex",
    task_id: "task-002",
    action: "update",
    progress: 40,
    total_steps: 100,
    message: "token exchange",
  });

  const costs: Array<[string, number, string]> = [
    ["claude", 0.42, "task-001"],
    ["codex", 1.37, "task-002"],
    ["codex", 0.55, "task-002"],
    ["gemini", 0.21, "task-003"],
    ["cursor", 0.88, "task-007"],
  ];
  for (const [agent, cost_usd, task_id] of costs)
    await call("masc_cost_log", { agent_name: agent, cost_usd, task_id, model: "model-x", input_tokens: 12_000, output_tokens: 3_000 });

  await call("masc_interrupt", {
    agent_name: "codex",
    task_id: "task-002",
    step: 4,
    action: "git push --force origin main",
    message: "Rebased the OAuth branch onto main; force-push to publish it?",
  });
  await call("masc_interrupt", {
    agent_name: "gemini",
    task_id: "task-003",
    step: 2,
    action: "npm test -- --repeat 200 ws-delivery",
    message: "Run the ws test 200 times on the shared runner (about 6 minutes)?",
  });
  return client;
}
