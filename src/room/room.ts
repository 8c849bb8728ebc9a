import { DurableObject } from "cloudflare:workers";
import { RoomCore } from "./core";

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
    return new Response("not found", { status: 404 });
  }

  override async alarm(): Promise<void> {
    await this.core.alarm();
  }
}
