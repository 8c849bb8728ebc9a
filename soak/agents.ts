import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { replyOf, type ToolReply } from "../test/helpers/client.ts";

/** No call waits longer: one cut off by kill -9 counts as unanswered and the agent moves on. */
export const CALL_TIMEOUT_MS = 20_000;
/** A listen stream's updates are read at most this often (a write would otherwise cost every modern agent a read). */
const PULL_EVERY_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One agent of the soak: it calls tools and, as a listener, counts each event it got by seq. */
export interface SoakAgent {
  readonly name: string;
  readonly era: "2025" | "2026";
  /** Whose events it hears: a 2025 session hears its agent's; a stateless 2026 reader, the room-wide ones. */
  readonly hears: string | null;
  /** How many times each seq reached it. */
  readonly got: Map<number, number>;
  /** The first seq it must have heard (its own hello), set once it said hello. */
  from: number;
  call(name: string, args?: Record<string, unknown>): Promise<ToolReply>;
  /** Hello said: start hearing from `seq`. */
  heardFrom(seq: number): void;
  close(): Promise<void>;
}

const count = (got: Map<number, number>, seq: unknown) => {
  if (typeof seq === "number") got.set(seq, (got.get(seq) ?? 0) + 1);
};

/**
 * The official v1 client with a session and its GET stream open; the SDK reconnects the stream
 * with `Last-Event-ID` after each kill (bounded retries, about three minutes of downtime).
 */
export async function legacyAgent(url: string, name: string): Promise<SoakAgent> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    reconnectionOptions: { initialReconnectionDelay: 250, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 200 },
  });
  const client = new Client({ name, version: "1.0.0" });
  const got = new Map<number, number>();
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => count(got, (n.params.data as { seq?: unknown }).seq));
  // A killed server shows up as transport errors; the checks judge what was lost, not the noise.
  client.onerror = () => undefined;
  await client.connect(transport);
  const agent: SoakAgent = {
    name,
    era: "2025",
    hears: name,
    got,
    from: Number.POSITIVE_INFINITY,
    call: async (tool, args = {}) => {
      const r = (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS })) as CallToolResult;
      return replyOf(r.content, r.isError);
    },
    heardFrom: (seq) => {
      agent.from = seq;
    },
    close: () => client.close(),
  };
  return agent;
}

/**
 * The v2 client pinned to 2026-07-28: stateless calls, a `subscriptions/listen` stream on
 * `room://events`, each update read by cursor (`room://events?since=N`); a dropped stream is
 * listened to again and the cursor read at once, so nothing is missed across a kill.
 */
export async function modernAgent(url: string, name: string): Promise<SoakAgent> {
  const client = new ModernClient({ name, version: "1.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  client.onerror = () => undefined;
  await client.connect(new ModernTransport(new URL(url)));
  const got = new Map<number, number>();
  let cursor: number | null = null;
  let closed = false;
  let pulling: Promise<void> | null = null;
  let again = false;

  const readAll = async () => {
    while (cursor !== null && !closed) {
      const res = await client.readResource({ uri: `room://events?since=${cursor}` }, { timeout: CALL_TIMEOUT_MS });
      const first = res.contents[0];
      const page = JSON.parse(first && "text" in first ? first.text : "{}") as {
        events?: Array<{ seq: number }>;
        has_more?: boolean;
        next_since?: number;
      };
      for (const e of page.events ?? []) count(got, e.seq);
      if (typeof page.next_since === "number") cursor = page.next_since;
      if (!page.has_more) return;
    }
  };
  /** One read at a time; an update during a read asks for one more after it, spaced by PULL_EVERY_MS. */
  const pull = () => {
    if (pulling) {
      again = true;
      return;
    }
    pulling = (async () => {
      do {
        again = false;
        await sleep(PULL_EVERY_MS);
        try {
          await readAll();
        } catch {
          // the server is down: the next update or re-listen reads again
        }
      } while (again && !closed);
      pulling = null;
    })();
  };
  client.setNotificationHandler("notifications/resources/updated", () => pull());

  let stop: (v: "local") => void = () => undefined;
  const stopped = new Promise<"local">((r) => {
    stop = r;
  });
  const listening = (async () => {
    while (!closed) {
      try {
        const sub = await client.listen({ resourceSubscriptions: ["room://events"] }, { timeout: CALL_TIMEOUT_MS });
        if (closed) return sub.close();
        pull();
        if ((await Promise.race([sub.closed, stopped])) !== "remote") return sub.close();
      } catch {
        // refused while the server is down
      }
      await sleep(1000);
    }
  })();

  const agent: SoakAgent = {
    name,
    era: "2026",
    hears: null,
    got,
    from: Number.POSITIVE_INFINITY,
    call: async (tool, args = {}) => {
      const r = await client.callTool({ name: tool, arguments: args }, { timeout: CALL_TIMEOUT_MS });
      return replyOf((r.content ?? []) as Array<{ type: string; text?: string }>, r.isError);
    },
    heardFrom: (seq) => {
      agent.from = seq;
      cursor = seq - 1;
      pull();
    },
    close: async () => {
      closed = true;
      stop("local");
      await listening.catch(() => undefined);
      await pulling;
      await client.close();
    },
  };
  return agent;
}
