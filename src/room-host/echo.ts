import { DurableObject } from "cloudflare:workers";

/** Answers with what it was sent: the floor a room request cannot go below. */
export class Echo extends DurableObject<Env> {
  override async fetch(req: Request): Promise<Response> {
    return new Response(await req.text(), { headers: { "content-type": "application/json" } });
  }
}
