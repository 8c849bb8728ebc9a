import { DurableObject } from "cloudflare:workers";
import type { RoomReport } from "../room/report";
import type { Db } from "../room/sql";
import { durableDb } from "../room-host/durable-db";
import { listRooms, migrateDirectory, upsertRoom } from "./entries";

/**
 * The index of rooms. Durable Objects cannot be listed, so each room reports itself here (on first
 * use, then at most every few seconds while active). One object for the whole deployment.
 */
export class Directory extends DurableObject<Env> {
  readonly #db: Db;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#db = durableDb(ctx.storage);
    migrateDirectory(this.#db);
  }

  report(r: RoomReport): void {
    upsertRoom(this.#db, Date.now(), r);
  }

  list(limit: number, openOnly: boolean) {
    return listRooms(this.#db, { limit, openOnly });
  }
}
