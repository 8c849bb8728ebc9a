import { createInterface } from "node:readline";
import type { OAuthSession } from "./oauth.ts";
import { type Message, RoomSession } from "./room-session.ts";

/** What a command built on the bridge adds to it (masc-agent channel); the bridge itself stays a pipe. */
export interface BridgeHooks {
  /** Called once with the writer to the client, for messages of one's own. */
  attach?(write: (m: Message) => void): void;
  /** A client message handled here instead of being passed to the room: return true. */
  intercept?(m: Message): boolean;
  /** A room message on its way to the client, possibly changed. */
  outgoing?(m: Message): Message;
  /** Runs when the bridge stops. */
  close?(): void;
}

const reason = (err: unknown) => (err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err));

/**
 * A stdio MCP server that is only a pipe to the room's HTTP endpoint: every JSON-RPC message (one
 * per line) is passed through as is, both ways, so the room's pushes (notifications/message,
 * list_changed …) reach a client that speaks only stdio. Runs until stdin closes or `stop` fires.
 */
export async function bridge(
  url: string,
  token: string | undefined,
  log: (line: string) => void,
  stop: Promise<void>,
  oauth?: OAuthSession | null,
  hooks: BridgeHooks = {},
): Promise<void> {
  const room = oauth ? new RoomSession(url, oauth.token, log, () => oauth.renew()) : new RoomSession(url, token, log);
  let stopping = false;
  const write = (m: Message) => void process.stdout.write(`${JSON.stringify(m)}\n`);
  hooks.attach?.(write);
  room.onmessage = hooks.outgoing ? (m) => write((hooks.outgoing as (m: Message) => Message)(m)) : write;
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch {
      return write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: each line must be one JSON-RPC message" } });
    }
    if (hooks.intercept?.(message)) return;
    room.send(message).catch((err: unknown) => {
      if (stopping) return; // Requests cut off by our own shutdown.
      log(`masc-agent stdio: the room did not take a ${String(message.method ?? "reply")}: ${reason(err)}`);
      // A request gets an answer either way, so the client does not wait for a reply that cannot come.
      if (message.id !== undefined && message.method !== undefined) {
        write({
          jsonrpc: "2.0",
          id: message.id,
          error: {
            code: -32000,
            message: `masc room unreachable at ${url} (${reason(err)}); masc-agent keeps reconnecting, try again shortly`,
          },
        });
      }
    });
  });
  const ended = new Promise<void>((resolve) => lines.once("close", resolve));
  await Promise.race([ended, stop]);
  stopping = true;
  lines.close();
  room.close();
  hooks.close?.();
}
