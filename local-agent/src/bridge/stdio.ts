import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

/**
 * A stdio MCP server that is only a pipe to the room's HTTP endpoint: every JSON-RPC message is
 * passed through as is, both ways, so the room's pushes (notifications/message, list_changed …)
 * reach a client that speaks only stdio.
 */
export async function bridge(
  url: string,
  token: string | undefined,
  log: (line: string) => void,
  authProvider?: OAuthClientProvider,
): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const http = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, authProvider });
  const stdio = new StdioServerTransport();
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await Promise.allSettled([http.close(), stdio.close()]);
  };
  stdio.onmessage = (message) => {
    http.send(message).catch((err: Error) => {
      log(`masc-agent stdio: the room did not take a message: ${err.message}`);
      if ("id" in message && message.id !== undefined && "method" in message) {
        void stdio.send({
          jsonrpc: "2.0",
          id: message.id,
          error: { code: -32000, message: `masc room unreachable at ${url}: ${err.message}` },
        });
      }
    });
  };
  http.onmessage = (message) => {
    void stdio.send(message);
  };
  http.onerror = (err) => {
    if (!closing) log(`masc-agent stdio: ${err.message}`);
  };
  stdio.onclose = () => void close();
  await http.start();
  await stdio.start();
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.stdin.once("end", done);
    process.stdin.once("close", done);
  });
  await close();
}
