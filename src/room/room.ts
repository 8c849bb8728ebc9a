import { DurableObject } from "cloudflare:workers";
import { RoomCore } from "./core";
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
    const path = new URL(req.url).pathname;
    if (path.endsWith("/mcp")) return this.core.sessions.handle(req);
    if (path.endsWith("/ws")) return this.core.sockets.accept(req);
    return Response.json({ error: "not_found", message: `no room route ${path}` }, { status: 404 });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await onSocketMessage(this.core, ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  override async alarm(): Promise<void> {
    await this.core.alarm();
  }
}
