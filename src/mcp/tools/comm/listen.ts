import * as z from "zod";
import { requireJoined } from "../../../room/agents";
import { cursorOf } from "../../../room/cursors";
import { fail } from "../../../room/errors";
import { openEvent } from "../../../room/events";
import { type ListenScope, listenBatch, listenMatches } from "../../../room/messages";
import { defineTool } from "../../define";
import { agentName, limit, seq } from "../../fields";
import { viewEvent } from "./view";

export const MAX_LISTEN_S = 120;

export const masc_listen = defineTool({
  name: "masc_listen",
  category: "comm",
  description: "Wait for messages for you (mentions first); returns at once if some are unread, else when one arrives or at the timeout.",
  input: {
    agent_name: agentName,
    since: seq("Return events after this seq (default: your read cursor); pass next_since to continue").optional(),
    timeout: z.number().int().min(0).max(MAX_LISTEN_S).default(30).describe(`Seconds to wait (0-${MAX_LISTEN_S}, default 30)`),
    include: z
      .enum(["messages", "all"])
      .default("messages")
      .describe("messages: broadcasts, portal messages and events aimed at you; all: every event for you"),
    limit: limit(50, 200),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, since, timeout, include, limit }, { db, room, signal, relay }) {
    requireJoined(db, agent_name);
    const from = since ?? cursorOf(db, agent_name).read_seq;
    const scope: ListenScope = include;
    let batch = listenBatch(db, agent_name, from, scope, limit);
    const started = Date.now();
    let timedOut = relay?.waited?.timedOut ?? false;
    if (batch.events.length === 0 && timeout > 0) {
      if (relay?.canDefer) {
        // The Worker waits on a relay socket and repeats this call, so the room holds no request.
        relay.defer({ agent: agent_name, after: from, scope, timeout_ms: timeout * 1000 });
        return { deferred: true };
      }
      // Registered in the same synchronous turn as the empty read above: nothing can slip in between.
      const woke = await room.live.waitFor(agent_name, (e) => e.seq > from && listenMatches(e, agent_name, scope), timeout * 1000, signal);
      timedOut = !woke;
      // Aborted: the client gave up, or the credential it called with ended (revoked, refreshed,
      // or auth turned on); either way nothing more goes out on this call.
      if (signal.aborted) fail("unauthorized", "this call's credential ended while it waited; call again with a current token");
      batch = db.tx(() => listenBatch(db, agent_name, from, scope, limit));
    }
    const events = await Promise.all(batch.events.map(async (e) => viewEvent(await openEvent(room.codec, e))));
    return {
      agent: agent_name,
      events,
      count: events.length,
      mentions: batch.events.filter((e) => e.target !== null).length,
      next_since: batch.next_since,
      has_more: batch.has_more,
      waited_ms: relay?.waited?.ms ?? Date.now() - started,
      timed_out: timedOut && events.length === 0,
    };
  },
});
