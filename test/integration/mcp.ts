import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { tool } from "../helpers/client";

/** An official SDK client talking to the Worker inside workerd, no network involved. */
export async function connect(
  room = "default",
  name = "test",
  opts: { stream?: boolean; token?: string } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const path = room === "default" ? "/mcp" : `/r/${room}/mcp`;
  const transport = new StreamableHTTPClientTransport(new URL(`http://localhost${path}`), {
    fetch: (input, init) => {
      const req = new Request(input, init);
      if (opts.token) req.headers.set("authorization", `Bearer ${opts.token}`);
      // Without the GET stream the room has no request in flight, so a test can evict it.
      if (opts.stream === false && req.method === "GET") return Promise.resolve(new Response(null, { status: 405 }));
      return exports.default.fetch(req);
    },
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

export { tool as call };

/** Mints a token per agent with the room secret (or owner secret), in the given roles. */
export async function mintTokens(room: string, secret: string, roles: Record<string, "reader" | "worker" | "admin">) {
  const { client: admin } = await connect(room, "admin", { stream: false, token: secret });
  await tool(admin, "masc_switch_mode", { mode: "full" });
  const tokens: Record<string, string> = {};
  for (const [agent, role] of Object.entries(roles))
    tokens[agent] = (await tool(admin, "masc_auth_create_token", { agent_name: agent, role })).json.token;
  await admin.close();
  return tokens;
}

/** The headers of a 2026-07-28 `tools/call` of `tool`, as the spec puts them on the wire. */
export function modernCallHeaders(tool: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2026-07-28",
    "mcp-method": "tools/call",
    "mcp-name": tool,
    ...extra,
  };
}

/** A raw 2026-07-28 `subscriptions/listen` request for these resource URIs, as the spec puts it on the wire. */
export function listenRequest(url: string, uris: string[], opts: { id?: string; bearer?: string } = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: {
      ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "subscriptions/listen",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: opts.id ?? "sub-1",
      method: "subscriptions/listen",
      params: {
        notifications: { resourceSubscriptions: uris },
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {},
          "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
        },
      },
    }),
  });
}
