import type { ToolReply } from "../test/helpers/client.ts";
import type { SoakAgent } from "./agents.ts";
import type { Ledger } from "./ledger.ts";

/** Each agent makes one call, then waits this long: fifty agents make about fifty calls a second. */
export const PACE_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadStats {
  calls: number;
  /** Calls that got no answer (the server was down or killed mid-call). */
  unanswered: number;
  /** Tool errors the soak does not expect (a refused lock or an empty board are expected). */
  unexpected: string[];
}

/**
 * One agent's mixed load until `running()` turns false: add a task, claim the next, finish it, a
 * broadcast (to everyone or its partner), lock and unlock a file several agents share, a message
 * through its portal. Every answer goes into the ledger; a call with no answer goes in as possibly
 * applied.
 */
export async function runAgent(
  agent: SoakAgent,
  index: number,
  files: number,
  partner: string,
  ledger: Ledger,
  stats: LoadStats,
  running: () => boolean,
  portal: boolean,
): Promise<void> {
  let claimed: string | null = null;
  /** A lock this agent may still hold: granted, or asked for with no answer. */
  let locked: string | null = null;
  let n = 0;
  const call = async (tool: string, args: Record<string, unknown>, named = true): Promise<ToolReply | null> => {
    stats.calls++;
    try {
      return await agent.call(tool, named ? { agent_name: agent.name, ...args } : args);
    } catch {
      stats.unanswered++;
      ledger.unanswered++;
      return null;
    }
  };
  /** Whether the unlock was answered; a refusal is expected after an unanswered one, which may have released it already. */
  const unlock = async (file: string): Promise<boolean> => {
    ledger.lockSent(file, agent.name, "unlock");
    const r = await call("masc_unlock", { file });
    if (r === null) return false;
    ledger.lockAnswered(file, agent.name, "unlock");
    if (!r.isError) ledger.released(file, r.json.token);
    return true;
  };
  const unexpected = (tool: string, r: ToolReply) => {
    if (stats.unexpected.length < 50) stats.unexpected.push(`${agent.name} ${tool}: ${r.text.slice(0, 200)}`);
  };

  while (running()) {
    const step = n++ % 7;
    if (step === 0) {
      const title = `soak ${agent.name} #${n}`;
      const r = await call("masc_add_task", { title, priority: (n % 5) + 1 }, false);
      if (r && !r.isError) ledger.task(r.json.task_id, title);
      else if (r) unexpected("masc_add_task", r);
    } else if (step === 1) {
      const r = await call("masc_claim_next", {});
      if (r && !r.isError && r.json.claimed) {
        claimed = r.json.claimed;
        ledger.claimed(r.json.claimed, agent.name);
      } else if (r?.isError) unexpected("masc_claim_next", r);
    } else if (step === 2 && claimed) {
      const task = claimed;
      ledger.done(task, agent.name, "sent");
      const r = await call("masc_done", { task_id: task });
      if (r?.isError) {
        ledger.done(task, agent.name, "refused");
        unexpected("masc_done", r);
      } else if (r) ledger.done(task, agent.name, "done");
      // Unanswered, it may be done already: the ledger allows both, and a retry would only be refused.
      claimed = null;
    } else if (step === 3) {
      const message = n % 14 < 7 ? `@all soak ${agent.name} #${n}` : `@${partner} soak ${agent.name} #${n}`;
      const r = await call("masc_broadcast", { message });
      if (r && !r.isError) ledger.message(r.json.seq, { kind: "broadcast", actor: agent.name, body: message });
      else if (r) unexpected("masc_broadcast", r);
    } else if (step === 4) {
      const file = `soak/shared-${(index + n) % files}.ts`;
      ledger.lockSent(file, agent.name, "lock");
      const r = await call("masc_lock", { file });
      if (r) ledger.lockAnswered(file, agent.name, "lock");
      if (r && !r.isError) ledger.granted(file, agent.name, r.json.token);
      else if (r && !r.text.startsWith("lock_held")) unexpected("masc_lock", r);
      locked = r === null || !r.isError ? file : null;
    } else if (step === 5 && locked) {
      if (await unlock(locked)) locked = null;
    } else if (step === 6 && portal) {
      const message = `portal ${agent.name} #${n}`;
      const r = await call("masc_portal_send", { message });
      if (r && !r.isError) ledger.message(r.json.seq, { kind: "portal_message", actor: agent.name, body: message });
      else if (r) unexpected("masc_portal_send", r);
    }
    await sleep(PACE_MS);
  }
  // Hand back what it holds, so a final check finds a quiet room.
  if (locked) {
    await unlock(locked);
  }
}
