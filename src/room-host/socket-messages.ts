import { appendEvent } from "../room/events";
import { isAbsoluteRoot } from "../room/local-agent-replies";
import type { Db } from "../room/sql";
import type { LocalAgents } from "./local-agents";
import type { RoomSockets } from "./sockets";

/** What the socket handlers need of the room. */
export interface SocketRoom {
  readonly db: Db;
  readonly name: string;
  readonly sockets: RoomSockets;
  readonly localAgents: LocalAgents;
  flush(): Promise<void>;
}

/** A frame a socket sent us, already parsed from JSON. */
export type ClientFrame = { type: string; [k: string]: unknown };

/**
 * Handlers for frames clients send, by `type`. Domains that talk over the socket (the local-agent's
 * requests and replies …) add theirs here.
 */
export const SOCKET_HANDLERS: Record<string, (core: SocketRoom, ws: WebSocket, frame: ClientFrame) => void | Promise<void>> = {
  /** Re-subscribe from a seq, e.g. after the client noticed a gap. */
  subscribe: async (core, ws, frame) => {
    const since = Number(frame.since);
    if (!Number.isInteger(since) || since < 0) {
      core.sockets.send(ws, { type: "error", message: "subscribe.since must be a non-negative integer event seq" });
      return;
    }
    await core.sockets.replay(ws, core.sockets.info(ws), since);
  },

  /** A masc-agent daemon introduces its machine and repository. */
  hello: (core, ws, frame) => {
    const info = core.sockets.info(ws);
    if (info.kind !== "local-agent") {
      core.sockets.send(ws, { type: "error", message: "hello is for sockets opened with kind=local-agent" });
      return;
    }
    const text = (v: unknown, max = 1024) => (typeof v === "string" ? v.slice(0, max) : "");
    const machine = {
      machine: text(frame.machine, 256),
      hostname: text(frame.hostname, 256),
      repo_root: text(frame.repo_root),
      repo_name: text(frame.repo_name, 256),
      pid: typeof frame.pid === "number" ? frame.pid : 0,
      connected_at: new Date().toISOString(),
    };
    // Worktree replies are checked against this root, so it must be a real absolute path.
    if (!isAbsoluteRoot(machine.repo_root)) {
      core.sockets.send(ws, { type: "error", message: "hello.repo_root must be the repository's absolute path" });
      return;
    }
    core.localAgents.register(ws, machine);
    // Every viewer of the room sees this event, readers and anonymous callers too: it names the
    // repository only, never the machine's hostname, paths or process.
    core.db.tx(() =>
      appendEvent(core.db, Date.now(), { kind: "local_agent_connected", actor: null, data: { repo_name: machine.repo_name } }),
    );
    core.sockets.send(ws, { type: "hello", ok: true, room: core.name });
  },

  /** The answer to a request the room sent the daemon. */
  response: (core, ws, frame) => {
    if (typeof frame.id !== "string") return;
    core.localAgents.settle(ws, frame.id, frame.result, frame.error as { code?: string; message?: string } | undefined);
  },
};

export async function onSocketMessage(core: SocketRoom, ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
  let frame: ClientFrame;
  try {
    const parsed = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)) as unknown;
    if (typeof parsed !== "object" || parsed === null || typeof (parsed as ClientFrame).type !== "string") throw new Error("no type");
    frame = parsed as ClientFrame;
  } catch {
    core.sockets.send(ws, { type: "error", message: 'frames are JSON objects with a string "type"' });
    return;
  }
  // Own keys only: a frame typed `constructor` or `__proto__` must find no handler.
  const handler = Object.hasOwn(SOCKET_HANDLERS, frame.type) ? SOCKET_HANDLERS[frame.type] : undefined;
  if (!handler) {
    core.sockets.send(ws, {
      type: "error",
      message: `unknown frame type '${frame.type}'; known: ${Object.keys(SOCKET_HANDLERS).join(", ")}`,
    });
    return;
  }
  await handler(core, ws, frame);
  await core.flush();
}
