import { env } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { app } from "../../src/http/app";

/** A host name that is not loopback, as a room on workers.dev sees it. */
export const PUBLIC_HOST = "masc.example.workers.dev";
export const OWNER_SECRET = "owner-secret-for-tests-0123456789abcdef";

/** The Worker as a plain `wrangler deploy` leaves it: no vars beyond wrangler.toml's, the owner secret set or not. */
export function deployedFetch(ownerSecret: string | null = OWNER_SECRET) {
  const deployed = { ...env, MASC_ADMIN_SECRET: ownerSecret ?? undefined } as Env;
  return (input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(app.fetch(new Request(input, init), deployed));
}

export function publicUrl(path: string): string {
  return `https://${PUBLIC_HOST}${path}`;
}

/** An SDK client talking to a room through the deployed Worker on a public host. */
export async function connectPublic(room: string, bearer?: string): Promise<Client> {
  const fetcher = deployedFetch();
  const transport = new StreamableHTTPClientTransport(new URL(publicUrl(`/r/${room}/mcp`)), {
    fetch: (input, init) => {
      const req = new Request(input, init);
      if (bearer) req.headers.set("authorization", `Bearer ${bearer}`);
      // No GET stream: a test can then drop the client without a request left open.
      if (req.method === "GET") return Promise.resolve(new Response(null, { status: 405 }));
      return fetcher(req);
    },
  });
  const client = new Client({ name: "public", version: "1.0.0" });
  await client.connect(transport);
  return client;
}
