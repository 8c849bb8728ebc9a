import { createRequestStateCodec, type RequestStateCodec } from "@modelcontextprotocol/server";
import type { Caller } from "../../room/auth";
import { identityOf } from "../../room/auth";
import type { TextCodec } from "../../room/codec";
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
const KEY = "request_state_key";

/**
 * The room's HMAC key, sealed at rest like message text when encryption is on (the reseal on
 * turning encryption on or off covers it too). Made on first use; two first uses racing keep
 * whichever was stored first.
 */
async function roomKey(db: Db, codec: TextCodec): Promise<string> {
  const stored = getMeta(db, KEY);
  if (stored !== undefined) return codec.open(KEY, stored);
  const key = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const sealed = await codec.seal(KEY, key);
  const raced = getMeta(db, KEY);
  if (raced !== undefined) return codec.open(KEY, raced);
  setMeta(db, KEY, sealed);
  return key;
}

/**
 * HMAC-sealed `requestState` (the SDK's codec): a per-room random key kept in the room's SQLite (so
 * it survives eviction and differs per room), bound to the room and the caller's identity, valid
 * for ten minutes. A tampered, expired, foreign-room or other-caller state is refused with -32602.
 */
export async function approvalCodec(db: Db, codec: TextCodec, room: () => string): Promise<RequestStateCodec<ApprovalState>> {
  return createRequestStateCodec<ApprovalState>({
    key: await roomKey(db, codec),
    ttlSeconds: TTL_SECONDS,
    bind: (ctx) => {
      const caller = (ctx.http?.authInfo?.extra?.caller as Caller | undefined) ?? null;
      return `${room()}\0${identityOf(caller) ?? "auth-off"}\0${ctx.mcpReq.method}`;
    },
  });
}
