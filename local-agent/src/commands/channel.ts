import { signIn } from "../bridge/oauth.ts";
import { bridge } from "../bridge/stdio.ts";
import { Channel } from "../channel/channel.ts";
import { cursorFile, loadCursor } from "../channel/cursor.ts";
import type { Io } from "../cli/output.ts";
import { type Flags, UsageError } from "../cli/parse.ts";
import { roomUrl, type Settings } from "../cli/resolve.ts";

const MAX_TTL_S = 86_400;

/** The permission timeout from --permission-timeout (seconds), checked like the room checks it. */
export function permissionTtl(raw: string | undefined): number {
  if (raw === undefined) return 600;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_TTL_S)
    throw new UsageError(`--permission-timeout must be whole seconds, 1-${MAX_TTL_S}, got '${raw}'`);
  return n;
}

/** masc-agent channel: runs until the client closes stdin or a signal stops it. */
export async function channelCommand(s: Settings, flags: Flags, io: Io, env: NodeJS.ProcessEnv, stopped: Promise<void>): Promise<number> {
  const [agent, ...others] = s.agents;
  if (!agent || others.length > 0)
    throw new UsageError("channel needs exactly one --agent NAME (or MASC_AGENT_NAME): the agent this session is");
  const ttl = permissionTtl(flags["permission-timeout"]);
  const file = cursorFile(env, s.url, s.room, agent);
  const oauth = s.token ? null : await signIn(roomUrl(s), io.err, env);
  const channel = new Channel({
    url: s.url,
    room: s.room,
    agent,
    token: () => s.token ?? oauth?.token,
    ...(oauth ? { renew: () => oauth.renew() } : {}),
    permissionRelay: !flags["no-permission-relay"],
    permissionTtlS: ttl,
    cursorFile: file,
    resumeAt: loadCursor(file),
    log: io.err,
  });
  io.err(`masc-agent channel: ${agent} in ${roomUrl(s)}; cursor in ${file}`);
  await bridge(roomUrl(s), s.token, io.err, stopped, oauth, channel);
  return 0;
}
