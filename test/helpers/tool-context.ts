import type { ToolContext } from "../../src/mcp/define";
import { CATEGORIES, type Category, type Mode } from "../../src/mcp/modes";
import type { RoomApi, SessionApi } from "../../src/mcp/room-port";
import type { Caller } from "../../src/room/auth";
import { plainCodec } from "../../src/room/codec";
import { fail } from "../../src/room/errors";
import type { Db } from "../../src/room/sql";

/** A room with no key, no listeners and no masc-agent: what pure tool calls may need of it. */
export const offlineRoom: RoomApi = {
  name: "offline",
  config: { zombieThresholdMs: 300_000, version: "test" },
  codec: plainCodec,
  live: { waitFor: async () => false, presence: () => ({ sessions: [], sockets: [], listening: [] }) },
  localAgents: { request: async () => fail("no_local_agent", "no masc-agent in this test") },
  encryption: {
    keyConfigured: () => false,
    enable: async () => fail("encryption_error", "no key in this test"),
    disable: async () => fail("conflict", "encryption is already disabled"),
  },
  channelLive: () => true,
  writeTurn: async () => {},
};

/** A session in mode full acting as `agent`. */
export function fullSession(agent: string | null = "claude"): SessionApi {
  return {
    id: "test-session",
    agent,
    mode: "full" as Mode,
    categories: [...CATEGORIES] as Category[],
    bindAgent() {},
    setMode() {},
  };
}

/** Everything callTool needs to run a tool against `db` outside workerd. */
export function toolContext(db: Db, now: number, caller: Caller | null = null): ToolContext {
  return { db, now, room: offlineRoom, session: fullSession(), caller, signal: new AbortController().signal, progress: async () => {} };
}
