import { createRequestStateCodec, type RequestStateCodec } from "@modelcontextprotocol/server";
import type { Caller } from "../../room/auth";
import { identityOf } from "../../room/auth";
import { getMeta, setMeta } from "../../room/meta";
import type { Db } from "../../room/sql";

/** What an approval question's `requestState` carries back: which checkpoint it asked about. */
export interface ApprovalState {
  room: string;
  task_id: string;
  checkpoint: number;
  agent: string;
}

const TTL_SECONDS = 600;

function roomKey(db: Db): string {
  let key = getMeta(db, "request_state_key");
  if (!key) {
    key = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
    setMeta(db, "request_state_key", key);
  }
  return key;
}

/**
 * HMAC-sealed `requestState` (the SDK's codec): a per-room random key kept in the room's SQLite (so
 * it survives eviction and differs per room), bound to the room and the caller's identity, valid
 * for ten minutes. A tampered, expired, foreign-room or other-caller state is refused with -32602.
 */
export function approvalCodec(db: Db, room: () => string): RequestStateCodec<ApprovalState> {
  return createRequestStateCodec<ApprovalState>({
    key: roomKey(db),
    ttlSeconds: TTL_SECONDS,
    bind: (ctx) => {
      const caller = (ctx.http?.authInfo?.extra?.caller as Caller | undefined) ?? null;
      return `${room()}\0${identityOf(caller) ?? "auth-off"}\0${ctx.mcpReq.method}`;
    },
  });
}
