import { requireJoined } from "../../../room/agents";
import { lastSeq, openEvent } from "../../../room/events";
import { messagePage, receiptsFor } from "../../../room/messages";
import { threadPage } from "../../../room/threads";
import { viewerOf } from "../../../room/visibility";
import { defineTool } from "../../define";
import { agentName, limit, seq } from "../../fields";
import { viewEvent } from "./view";

export const masc_messages = defineTool({
  name: "masc_messages",
  category: "comm",
  description: "Message history after a seq, oldest first, with who each was delivered to and read by; marks them read for agent_name.",
  input: {
    since_seq: seq("Return messages after this seq (0 = from the start); pass next_seq to page").default(0),
    limit: limit(10, 100),
    agent_name: agentName
      .optional()
      .describe("Who is reading: adds your portal messages and marks the page read (default: this session's agent)"),
    thread: seq("Only this thread (any seq in it)").optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  async handler({ since_seq, limit, agent_name, thread }, { db, room, session, caller }) {
    const reader = agent_name ?? session.agent;
    if (agent_name) requireJoined(db, agent_name);
    const viewer = viewerOf(caller);
    const page =
      thread === undefined
        ? messagePage(db, { since: since_seq, limit, reader, viewer })
        : threadPage(db, thread, since_seq, limit, viewer);
    const receipts = receiptsFor(db, page.events);
    const last = lastSeq(db);
    const messages = await Promise.all(page.events.map(async (e) => viewEvent(await openEvent(room.codec, e), receipts.get(e.seq))));
    return {
      ...("thread" in page ? { thread: page.thread } : {}),
      messages,
      count: messages.length,
      has_more: page.has_more,
      next_seq: page.next_seq,
      last_seq: last,
    };
  },
});
