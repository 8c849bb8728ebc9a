import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Caller } from "../room/auth";
import type { Db } from "../room/sql";
import { APPROVAL_FORM, answer, mayAnswerInClient, question, type Raised } from "./approvals";
import type { RoomApi } from "./room-port";

/**
 * A 2025-era approval question whose wait the Worker holds (decision 0036). The room sends
 * `elicitation/create` on the session's stream and answers the tool call at once; the Worker waits
 * on a relay socket. The client's answer arrives as a JSON-RPC response POSTed to the session: it
 * is applied here and wakes the Worker, which repeats the call to collect the outcome. A row keeps
 * the question across eviction, so nothing of it lives in the room's memory.
 */

/** Request ids of these questions; the SDK's own requests are numbers. */
export const ASK_PREFIX = "masc-approval-";
/** On the repeated call: which question's outcome to return instead of raising a new checkpoint. */
export const ASK_META = "masc/approval-ask";
/** How long the question waits for an answer in the client before the call returns pending. */
export const ASK_TIMEOUT_MS = 300_000;

interface AskRow {
  id: string;
  session_id: string;
  task_id: string;
  checkpoint: number;
  agent: string;
  pending: string;
  answer: string | null;
}

/** Stores the question and returns the `elicitation/create` request to send on the session's stream. */
export async function openAsk(db: Db, room: RoomApi, sessionId: string, raised: Raised, pending: string, now: number) {
  const id = `${ASK_PREFIX}${crypto.randomUUID()}`;
  const sealed = await room.codec.seal("interrupt", pending);
  db.tx(() => {
    // Questions whose Worker never came back (its client went away) are dropped once stale.
    db.run("DELETE FROM approval_asks WHERE expires_at <= ?", now);
    db.run(
      "INSERT INTO approval_asks (id, session_id, task_id, checkpoint, agent, pending, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      id,
      sessionId,
      raised.task_id,
      raised.checkpoint,
      raised.agent,
      sealed,
      now + 2 * ASK_TIMEOUT_MS,
    );
  });
  const request = {
    jsonrpc: "2.0" as const,
    id,
    method: "elicitation/create",
    params: { mode: "form", message: question(raised), requestedSchema: APPROVAL_FORM },
  };
  return { id, request };
}

/** The reply to one of these questions, when `body` is one: its id and what the client answered. */
export function askReplyOf(body: unknown): { id: string; content: unknown } | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body) || "method" in body) return undefined;
  const m = body as { id?: unknown; result?: { action?: unknown; content?: unknown }; error?: unknown };
  if (typeof m.id !== "string" || !m.id.startsWith(ASK_PREFIX) || (m.result === undefined && m.error === undefined)) return undefined;
  return { id: m.id, content: m.result?.action === "accept" ? m.result.content : undefined };
}

/**
 * Applies a client's answer to the question it was asked on this session; false when there is no
 * such open question (answered already, timed out, or another session's), so nothing changes.
 */
export async function answerAsk(db: Db, room: RoomApi, sessionId: string, caller: Caller | null, reply: { id: string; content: unknown }) {
  const row = db.one<AskRow>("SELECT * FROM approval_asks WHERE id = ? AND session_id = ? AND answer IS NULL", reply.id, sessionId);
  if (!row) return false;
  const raised = { task_id: row.task_id, checkpoint: row.checkpoint, agent: row.agent, action: "", message: "" };
  // Who answers answers with the session's credential: one that may not approve decides nothing.
  const out = await answer(db, room, raised, mayAnswerInClient(caller) ? reply.content : undefined);
  const sealed = await room.codec.seal("interrupt", JSON.stringify(out));
  db.run("UPDATE approval_asks SET answer = ? WHERE id = ?", sealed, row.id);
  return true;
}

/** Whether the Worker's wait for this question is over: answered, or no longer there. */
export function askSettled(db: Db, id: string): boolean {
  return db.one("SELECT 1 AS open FROM approval_asks WHERE id = ? AND answer IS NULL", id) === undefined;
}

/** The repeated call's result: the answer's outcome, or the pending checkpoint when none came. The question ends. */
export async function closeAsk(db: Db, room: RoomApi, sessionId: string, id: string): Promise<CallToolResult> {
  const row = db.one<AskRow>("SELECT * FROM approval_asks WHERE id = ? AND session_id = ?", id, sessionId);
  if (!row) return { content: [{ type: "text" as const, text: "not_found: no such approval question on this session" }], isError: true };
  db.run("DELETE FROM approval_asks WHERE id = ?", id);
  const text = await room.codec.open("interrupt", row.answer ?? row.pending);
  return { content: [{ type: "text" as const, text }] };
}

/** The question a repeated call asks about, from the `_meta` the Worker's repeat carries. */
export function askOfCall(meta: unknown): string | undefined {
  const id = (meta as Record<string, unknown> | undefined)?.[ASK_META];
  return typeof id === "string" && id.startsWith(ASK_PREFIX) ? id : undefined;
}
