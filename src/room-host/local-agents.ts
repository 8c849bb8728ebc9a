import type { Caller } from "../room/auth";
import { servesAgent } from "../room/daemons";
import { fail } from "../room/errors";
import { checkReply } from "../room/local-agent-replies";
import type { RoomSockets, SocketInfo } from "./sockets";

/** What a masc-agent daemon tells the room about itself when it connects. */
export interface MachineInfo {
  machine: string;
  hostname: string;
  repo_root: string;
  repo_name: string;
  pid: number;
  connected_at: string;
}

interface Pending {
  /** Only the daemon asked may answer. */
  ws: WebSocket;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export const RPC_TIMEOUT_MS = 30_000;

interface Daemon {
  ws: WebSocket;
  info: MachineInfo;
  caller: Caller | null | undefined;
}

/**
 * Requests from the room to a developer's machine: the room cannot touch a disk, so it asks a
 * connected masc-agent over its WebSocket and waits for the answer.
 */
export class LocalAgents {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly sockets: RoomSockets,
    private readonly roomName: () => string,
  ) {}

  /** Connected daemons that said hello, newest first. */
  connected(): Daemon[] {
    return this.sockets
      .all("local-agent")
      .map((ws) => {
        const socket = this.sockets.info(ws);
        return { ws, info: socket.meta as unknown as MachineInfo, caller: socket.caller };
      })
      .filter((s) => typeof s.info.repo_root === "string" && s.info.repo_root !== "")
      .sort((a, b) => (a.info.connected_at < b.info.connected_at ? 1 : -1));
  }

  register(ws: WebSocket, info: MachineInfo): void {
    const current: SocketInfo = this.sockets.info(ws);
    this.sockets.setInfo(ws, { ...current, meta: { ...info } });
  }

  /**
   * The daemon to ask: for a request about an agent, one allowed to serve that agent; for one about
   * no agent (a listing), preferably one that serves everyone.
   */
  #target(params: Record<string, unknown>): Daemon | undefined {
    const daemons = this.connected();
    if (typeof params.agent === "string") return daemons.find((d) => servesAgent(d.caller, params.agent as string));
    return daemons.find((d) => servesAgent(d.caller, null)) ?? daemons.find((d) => d.caller !== undefined);
  }

  async request(method: string, params: Record<string, unknown>, timeoutMs = RPC_TIMEOUT_MS): Promise<unknown> {
    const target = this.#target(params);
    if (!target) {
      const who = typeof params.agent === "string" ? ` allowed to serve ${params.agent}` : "";
      fail(
        "no_local_agent",
        `no masc-agent${who} is connected to room ${this.roomName()}; start one in the repository with: masc-agent up --url <this server's url> (npm i -g masc-agent)`,
      );
    }
    const id = crypto.randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`masc-agent on ${target.info.hostname} did not answer ${method} within ${timeoutMs / 1000}s`));
      }, timeoutMs);
      this.#pending.set(id, { ws: target.ws, resolve, reject, timer });
    });
    this.sockets.send(target.ws, { type: "request", id, method, params });
    let result: unknown;
    try {
      result = await answer;
    } catch (err) {
      fail("local_agent_error", err instanceof Error ? err.message : String(err), { machine: target.info.hostname });
    }
    checkReply(method, result, target.info.repo_root, target.info.hostname);
    return result;
  }

  /** A daemon's reply to one of our requests; a reply from any other socket is ignored. */
  settle(ws: WebSocket, id: string, result: unknown, error: { code?: string; message?: string } | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending || pending.ws !== ws) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(new Error(error.message ?? error.code ?? "masc-agent failed"));
    else pending.resolve(result);
  }
}
