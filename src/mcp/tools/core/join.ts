import { join } from "../../../room/agents";
import { showCheckpoint } from "../../../room/interrupts";
import { heldBy, holdsAnything } from "../../../room/rejoin";
import { showTask } from "../../../room/task-views";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, capabilities } from "../../fields";

export const masc_join = defineTool({
  name: "masc_join",
  category: "core",
  description: "Join the room under your agent name; the name you give is the name you keep.",
  input: { agent_name: agentName, capabilities: capabilities.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  async handler({ agent_name, capabilities }, { db, now, room, session, caller }) {
    const { agent, rejoined } = join(db, now, agent_name, capabilities);
    session.bindAgent(agent_name);
    const joined = { joined: agent.name, room: room.name, rejoined, capabilities: JSON.parse(agent.capabilities) as string[] };
    const held = rejoined ? heldBy(db, now, agent_name) : null;
    if (!held || !holdsAnything(held)) return { ...joined, next: "take work with masc_claim_next or see the board with masc_tasks" };
    // An agent that lost its context (compaction, restart) learns here what it still holds.
    const viewer = viewerOf(caller);
    const tasks = await Promise.all(held.tasks.map((t) => showTask(room.codec, t, viewer)));
    return {
      ...joined,
      holding: {
        tasks: tasks.map(({ id, title, status, worktree }) => ({ id, title, status, worktree })),
        locks: held.locks.map(({ file, expires_at, expires_in_s }) => ({ file, expires_at, expires_in_s })),
        leases: held.leases.map(({ file, kind, expires_at, expires_in_s }) => ({ pattern: file, kind, expires_at, expires_in_s })),
        unread: held.unread.count,
        interrupts: await Promise.all(
          held.interrupts.map(async (c) => {
            const { id, task_id, step, action, state, created_at } = await showCheckpoint(room.codec, c);
            return { id, task_id, step, action, state, created_at };
          }),
        ),
      },
      next: "you still hold this work: carry on with it (masc_done when finished, masc_release to give a task back)",
    };
  },
});
