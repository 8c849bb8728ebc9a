import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { RoomEvent } from "../../src/room/events";
import { tool } from "./client";

/** A room event as pushed in notifications/message. */
export type PushedEvent = RoomEvent;

/** What a client received on its GET stream, with a way to wait for more. */
export interface Inbox {
  events: PushedEvent[];
  updated: string[];
  /** Resolves with the first pushed event (already received or future) that matches. */
  next(match: (e: PushedEvent) => boolean, timeoutMs?: number): Promise<PushedEvent>;
}

export function collect(client: Client): Inbox {
  const events: PushedEvent[] = [];
  const updated: string[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    events.push(n.params.data as PushedEvent);
    wake();
  });
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updated.push(n.params.uri);
    wake();
  });
  const next = async (match: (e: PushedEvent) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event; got ${JSON.stringify(events.map((e) => [e.seq, e.kind, e.body]))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, Math.min(left, 200));
      });
    }
  };
  return { events, updated, next };
}

/** Waits until the room sees this agent's GET stream open, so pushes reach it live. */
export async function untilStreaming(client: Client, agent: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const who = await tool(client, "masc_who");
    const me = (who.json?.agents ?? []).find((a: { name: string }) => a.name === agent);
    if (me?.streaming) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${agent}'s GET stream never opened`);
}
