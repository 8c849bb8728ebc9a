import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface ToolReply {
  /** The first content block: the tool's own output. */
  text: string;
  /** Further text blocks (hints such as unread messages). */
  hints: string[];
  isError: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON replies.
  json: any;
}

export async function mcpClient(
  url: string,
  name = "e2e",
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

export async function tool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolReply> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  const text = first && first.type === "text" ? first.text : "";
  const hints = result.content.slice(1).flatMap((b) => (b.type === "text" ? [b.text] : []));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { text, hints, isError: result.isError === true, json };
}
