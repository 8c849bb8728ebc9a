import type { Caller } from "../room/auth";
import { MascError } from "../room/errors";
import { decide, showCheckpoint } from "../room/interrupts";
import { atLeast, requiredRole } from "../room/permissions";
import type { Db } from "../room/sql";
import type { RoomApi } from "./room-port";

/**
 * Approvals answered inside the agent's own MCP client: masc_interrupt asks the human there when the
 * client can show a form (2026-07-28: an `input_required` result; 2025: `elicitation/create`). The
 * answer goes through the same `decide` as masc_approve and the dashboard, so the first decision
 * wins everywhere and a later one is told it was already decided.
 */

/**
 * Whoever answers in the client answers with the caller's credential, so only a caller that may
 * decide approvals itself (masc_approve's role; anyone while auth is off) is asked there. Otherwise
 * a worker's own client could approve its own dangerous step.
 */
export function mayAnswerInClient(caller: Caller | null): boolean {
  return caller === null || atLeast(caller.role, requiredRole("masc_approve"));
}

/** The form the client shows. Flat enum + text, the subset every elicitation client renders. */
export const APPROVAL_FORM = {
  type: "object" as const,
  properties: {
    decision: { type: "string" as const, title: "Decision", enum: ["approve", "reject"] },
    reason: { type: "string" as const, title: "Reason (optional)" },
  },
  required: ["decision"],
};

/** What a raised interrupt's result carries that the question needs. */
export interface Raised {
  task_id: string;
  checkpoint: number;
  agent: string;
  action: string;
  message: string;
}

/** Reads the checkpoint back out of masc_interrupt's JSON result; undefined when it raised none. */
export function raisedOf(text: string | undefined): Raised | undefined {
  try {
    const out = JSON.parse(text ?? "") as { checkpoint?: { id: number; task_id: string; agent: string; action: string; message: string } };
    const cp = out.checkpoint;
    if (!cp || typeof cp.id !== "number") return undefined;
    return { task_id: cp.task_id, checkpoint: cp.id, agent: cp.agent, action: cp.action, message: cp.message };
  } catch {
    return undefined;
  }
}

export function question(r: Raised): string {
  return `${r.agent} asks for approval on task ${r.task_id}: ${r.message}\nAction: ${r.action}`;
}

/** An elicitation's answer as a decision; null when the human declined, cancelled or sent nothing usable. */
export function decisionOf(content: unknown): { decision: "approved" | "rejected"; reason: string | null } | null {
  if (!content || typeof content !== "object") return null;
  const { decision, reason } = content as { decision?: unknown; reason?: unknown };
  if (decision !== "approve" && decision !== "reject") return null;
  return {
    decision: decision === "approve" ? "approved" : "rejected",
    reason: typeof reason === "string" && reason ? reason.slice(0, 2000) : null,
  };
}

/**
 * Applies a human's answer to the checkpoint the question was about. Returns what the interrupting
 * agent's call reports: the decision, or that someone decided first, or that it still waits.
 */
export async function answer(db: Db, room: RoomApi, r: Raised, content: unknown): Promise<object> {
  const choice = decisionOf(content);
  const current = db.one<{ id: number; state: string }>("SELECT id, state FROM checkpoints WHERE id = ?", r.checkpoint);
  if (!choice) {
    return {
      decision: null,
      task_id: r.task_id,
      state: current?.state ?? "unknown",
      next: "no answer in your client: wait for the decision push or masc_pending_interrupts",
    };
  }
  if (current?.state !== "pending") {
    return {
      decision: current?.state ?? null,
      task_id: r.task_id,
      already_decided: true,
      note: "someone decided before this answer; a decision is final",
    };
  }
  const by = `human via ${r.agent}'s client`;
  const reason = choice.reason === null ? null : await room.codec.seal("interrupt", choice.reason);
  try {
    const cp = db.tx(() => decide(db, Date.now(), r.task_id, choice.decision, by, reason));
    return { decision: choice.decision, task_id: r.task_id, checkpoint: await showCheckpoint(room.codec, cp) };
  } catch (err) {
    if (err instanceof MascError && err.code === "already_decided") {
      return { decision: null, task_id: r.task_id, already_decided: true, note: err.message };
    }
    throw err;
  }
}
