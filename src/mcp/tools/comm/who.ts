import { listAgents } from "../../../room/agents";
import { defineTool } from "../../define";

export const masc_who = defineTool({
  name: "masc_who",
  category: "comm",
  description: "Who is here: agents with idle time, live sessions and sockets, and who is waiting in masc_listen.",
  input: {},
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  handler(_args, { db, now, room }) {
    const p = room.live.presence();
    const agents = listAgents(db).map((a) => {
      const sessions = p.sessions.filter((s) => s.agent === a.name);
      return {
        name: a.name,
        status: a.status,
        idle_s: Math.max(0, Math.round((now - Date.parse(a.last_seen)) / 1000)),
        current_task: a.current_task,
        listening: p.listening.includes(a.name),
        sessions: sessions.length,
        streaming: sessions.some((s) => s.streaming),
        sockets: p.sockets.filter((s) => s.agent === a.name).length,
      };
    });
    return {
      agents,
      count: agents.length,
      sessions: p.sessions.map((s) => ({ session: s.id.slice(0, 8), agent: s.agent, mode: s.mode, streaming: s.streaming })),
      sockets: p.sockets,
      listening: p.listening,
    };
  },
});
