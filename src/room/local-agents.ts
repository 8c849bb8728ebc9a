import { fail } from "./errors";
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
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export const RPC_TIMEOUT_MS = 30_000;

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

  /** Connected daemons, newest first. */
  connected(): Array<{ ws: WebSocket; info: MachineInfo }> {
    return this.sockets
      .all("local-agent")
      .map((ws) => ({ ws, info: this.sockets.info(ws).meta as unknown as MachineInfo }))
      .filter((s) => typeof s.info.repo_root === "string")
      .sort((a, b) => (a.info.connected_at < b.info.connected_at ? 1 : -1));
  }

  register(ws: WebSocket, info: MachineInfo): void {
    const current: SocketInfo = this.sockets.info(ws);
    this.sockets.setInfo(ws, { ...current, meta: { ...info } });
  }

  async request(method: string, params: Record<string, unknown>, timeoutMs = RPC_TIMEOUT_MS): Promise<unknown> {
    const target = this.connected()[0];
    if (!target) {
      fail(
        "no_local_agent",
        `no masc-agent is connected to room ${this.roomName()}; start one in the repository with: masc-agent up --url <this server's url> (npm i -g masc-agent)`,
      );
    }
    const id = crypto.randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`masc-agent on ${target.info.hostname} did not answer ${method} within ${timeoutMs / 1000}s`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
    this.sockets.send(target.ws, { type: "request", id, method, params });
    try {
      return await answer;
    } catch (err) {
      fail("local_agent_error", err instanceof Error ? err.message : String(err), { machine: target.info.hostname });
    }
  }

  /** A daemon's reply to one of our requests. */
  settle(id: string, result: unknown, error: { code?: string; message?: string } | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(new Error(error.message ?? error.code ?? "masc-agent failed"));
    else pending.resolve(result);
  }
}
