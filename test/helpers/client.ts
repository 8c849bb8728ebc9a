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
  return replyOf(result.content, result.isError);
}

/** A tools/call result's content read the way tests look at it, whichever SDK client got it. */
export function replyOf(blocks: ReadonlyArray<{ type: string; text?: string }>, isError: boolean | undefined): ToolReply {
  const text = blocks[0]?.type === "text" ? (blocks[0].text ?? "") : "";
  const hints = blocks.slice(1).flatMap((b) => (b.type === "text" && b.text ? [b.text] : []));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { text, hints, isError: isError === true, json };
}
