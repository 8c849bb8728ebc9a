const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "masc-agent-channel", version: "1" },
};

const auth = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/**
 * One masc tool call of the channel's own (joining the room), sent as a stateless 2026-07-28
 * request: no session to keep beside the one the client's calls use. Returns the result text.
 */
export async function roomTool(mcpUrl: string, token: string | undefined, name: string, args: Record<string, unknown>): Promise<string> {
  const res = await fetch(mcpUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": name,
      ...auth(token),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args, _meta: META } }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => null)) as {
    result?: { content?: Array<{ text?: string }>; isError?: boolean };
    error?: { message?: string };
  } | null;
  const text = body?.result?.content?.[0]?.text ?? body?.error?.message ?? `the room answered ${res.status}`;
  if (!res.ok || !body?.result || body.result.isError) throw new Error(text);
  return text;
}

/** Hands a permission prompt to the room (POST /api/permission-request); throws with the room's reason. */
export async function relayPermission(roomBase: string, token: string | undefined, request: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${roomBase}/api/permission-request`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth(token) },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(15_000),
  });
  if (res.ok) return void (await res.body?.cancel());
  const said = (await res.json().catch(() => null)) as { message?: string } | null;
  throw new Error(said?.message ?? `the room answered ${res.status}`);
}
