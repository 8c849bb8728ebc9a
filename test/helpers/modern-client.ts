import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { replyOf, type ToolReply } from "./client.ts";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The v2 SDK client pinned to the 2026-07-28 protocol (no initialize, no session). */
export async function modernClient(
  url: string,
  opts: { fetch?: FetchLike; elicit?: (message: string) => Record<string, unknown> | null; headers?: Record<string, string> } = {},
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.headers ? { requestInit: { headers: opts.headers } } : {}),
  });
  const client = new Client(
    { name: "modern-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: opts.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler("elicitation/create", (request) => {
      const content = answer(String((request.params as { message?: string }).message ?? ""));
      return content ? { action: "accept", content: content as Record<string, string> } : { action: "decline" };
    });
  }
  await client.connect(transport);
  return client;
}

export async function modernTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolReply> {
  const result = await client.callTool({ name, arguments: args });
  return replyOf((result.content ?? []) as Array<{ type: string; text?: string }>, result.isError);
}
