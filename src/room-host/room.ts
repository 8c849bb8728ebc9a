import { DurableObject } from "cloudflare:workers";
import { grantActive, inspectInvite, ownerGrant, redeemInvite } from "../room/oauth";
import { endGrant, type GrantEnd } from "../room/oauth-revoke";
import type { Role } from "../room/permissions";
import { ROOM_HEADER } from "../wire/edge";
import { closeQuietly } from "../wire/relay-frames";
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
    this.core.nameFrom(req.headers.get(ROOM_HEADER));
    this.core.directory.touch(this.core.db, this.core.name, Date.now());
    this.core.pace.enter();
    try {
      return await roomFetch(this.core, req);
    } finally {
      this.core.pace.leave();
    }
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Relays only carry the room's messages to the Worker; nothing comes back on them.
    if (this.core.relay.owns(ws)) return;
    await onSocketMessage(this.core, ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    if (this.core.relay.owns(ws)) this.core.relay.closed(ws);
    closeQuietly(ws, code, reason);
    this.core.sockets.closed(ws, Date.now());
  }

  // OAuth consent, called by the Worker over RPC (never reachable by clients).
  inspectInvite(code: string) {
    return inspectInvite(this.core.db, Date.now(), code);
  }

  redeemInvite(code: string, client: string) {
    return redeemInvite(this.core.db, Date.now(), code, client);
  }

  ownerGrant(agent: string, role: Role, client: string) {
    return ownerGrant(this.core.db, Date.now(), agent, role, client);
  }

  grantActive(id: string) {
    return grantActive(this.core.db, id);
  }

  /** The Worker saw the grant die at the token endpoint; what it opened here closes at once. */
  async endGrant(id: string, reason: GrantEnd): Promise<boolean> {
    const ended = endGrant(this.core.db, Date.now(), id, reason);
    await this.core.flush();
    return ended;
  }

  /** Called by the Worker for the top-level /metrics, which decided access itself. */
  metricsText(): string {
    return this.core.metrics();
  }

  override async alarm(): Promise<void> {
    await this.core.alarm();
  }
}
