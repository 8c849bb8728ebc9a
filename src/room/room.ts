import { DurableObject } from "cloudflare:workers";
import { RoomCore } from "./core";
import { roomFetch } from "./routes";
import { onSocketMessage } from "./socket-messages";

/** The room Durable Object: glue between the platform and RoomCore, nothing more. */
export class Room extends DurableObject<Env> {
  readonly core: RoomCore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.core = new RoomCore(ctx, env);
  }

  override async fetch(req: Request): Promise<Response> {
    this.core.nameFrom(req.headers.get("x-masc-room"));
    this.core.directory.touch(this.core.db, this.core.name, Date.now());
    return roomFetch(this.core, req);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Relays only carry the room's messages to the Worker; nothing comes back on them.
    if (this.core.relay.owns(ws)) return;
    await onSocketMessage(this.core, ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    if (this.core.relay.owns(ws)) this.core.relay.closed(ws);
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  /** Called by the Worker for the top-level /metrics, which decided access itself. */
  metricsText(): string {
    return this.core.metrics();
  }

  override async alarm(): Promise<void> {
    await this.core.alarm();
  }
}
