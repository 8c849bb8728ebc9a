import { parseMentions } from "../../../room/mentions";
import { broadcast, MAX_MESSAGE } from "../../../room/messages";
import { defineTool } from "../../define";
import { agentName, message, seq } from "../../fields";

export const masc_broadcast = defineTool({
  name: "masc_broadcast",
  category: "comm",
  description: "Send a message to the room; @name, @@type (e.g. @@claude) and @all mentions are pushed to those agents.",
  input: {
    agent_name: agentName,
    message: message(MAX_MESSAGE, "The message; stored exactly as sent"),
    reply_to: seq("Seq of the message this answers").optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async handler({ agent_name, message, reply_to }, { db, now, room }) {
    const mentions = parseMentions(message);
    const body = await room.codec.seal("message", message);
    const sent = db.tx(() => broadcast(db, now, agent_name, body, mentions, reply_to));
    return {
      sent: true,
      seq: sent.seq,
      from: agent_name,
      mention: sent.target,
      mentions: sent.mentions,
      ...(sent.thread !== null ? { reply_to, thread: sent.thread } : {}),
      ...(sent.unknown_mentions.length > 0 ? { not_in_room: sent.unknown_mentions } : {}),
    };
  },
});
