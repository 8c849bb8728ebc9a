import { DurableObject } from "cloudflare:workers";
import { echoWrite, prepareEchoWrite } from "./echo-write";

/** Answers with what it was sent: the floor a room request cannot go below (a write: echo-write). */
export class Echo extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    prepareEchoWrite(ctx.storage.sql);
  }

  override async fetch(req: Request): Promise<Response> {
    // A suffix test, not a URL parse: the read echo stays the floor it was.
    if (req.url.endsWith("/_bench/echo-write")) return echoWrite(this.ctx.storage.sql, req);
    return new Response(await req.text(), { headers: { "content-type": "application/json" } });
  }
}
