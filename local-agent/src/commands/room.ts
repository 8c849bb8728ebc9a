import { emit, type Io } from "../cli/output.ts";
import { roomUrl, type Settings } from "../cli/resolve.ts";
import { checkServer } from "../cli/server.ts";

/** Ready-to-paste MCP client config for the room. */
export function clientConfigs(s: Settings) {
  const url = roomUrl(s);
  // The client expands ${MASC_TOKEN} from its environment, so the config never holds the token.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder for the client, not for JS.
  const auth = s.token ? { Authorization: "Bearer ${MASC_TOKEN}" } : undefined;
  return {
    claude_code: {
      command: `claude mcp add --transport http masc ${url}${s.token ? ' --header "Authorization: Bearer $MASC_TOKEN"' : ""}`,
      json: { mcpServers: { masc: { type: "http", url, ...(auth ? { headers: auth } : {}) } } },
    },
    // A Claude Code channel (masc-agent channel): the room's events reach the session as they happen.
    // Only a room with auth on names MASC_TOKEN, so an open loopback room's entry has nothing unset to warn about.
    claude_channel: {
      json: {
        mcpServers: {
          masc: {
            command: "masc-agent",
            args: ["channel", "--url", s.url, "--room", s.room, "--agent", s.agents[0] ?? "claude"],
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder for the client, not for JS.
            ...(s.token ? { env: { MASC_TOKEN: "${MASC_TOKEN}" } } : {}),
          },
        },
      },
      launch: "claude --dangerously-load-development-channels server:masc",
      launch_allowlisted: "claude --channels server:masc",
    },
    codex: `[mcp_servers.masc]\nurl = "${url}"${s.token ? '\nbearer_token_env_var = "MASC_TOKEN"' : ""}`,
    gemini: { mcpServers: { masc: { httpUrl: url, ...(auth ? { headers: auth } : {}) } } },
  };
}

/** Prints what was resolved and whether the server answers; exit 1 when it does not let us in. */
export async function roomCommand(s: Settings, io: Io): Promise<number> {
  const configs = clientConfigs(s);
  const check = await checkServer(s);
  const server = check.ok
    ? { reachable: true, version: check.version, auth: check.auth }
    : { reachable: check.problem !== "unreachable", problem: check.problem, message: check.message };
  emit(
    io,
    s.json,
    {
      room: s.room,
      room_from: s.roomFrom,
      url: roomUrl(s),
      server_url: s.url,
      server,
      repository: s.root,
      in_git: s.inGit,
      config: configs,
    },
    () =>
      [
        `room:       ${s.room} (from ${s.roomFrom === "directory" ? "the repository's name" : s.roomFrom}${s.roomGiven === null ? "" : ` '${s.roomGiven}'`})`,
        `url:        ${roomUrl(s)}`,
        `server:     ${check.ok ? `masc ${check.version ?? ""} at ${s.url}, ${check.auth}` : check.message}`,
        `repository: ${s.root}${s.inGit ? "" : " (not a git repository)"}`,
        "",
        "Claude Code:",
        `  ${configs.claude_code.command}`,
        `  or .mcp.json: ${JSON.stringify(configs.claude_code.json)}`,
        "",
        "Claude Code with the room's events pushed into the session (a channel):",
        `  .mcp.json: ${JSON.stringify(configs.claude_channel.json)}`,
        `  then:      ${configs.claude_channel.launch}`,
        `  (once masc is on Claude Code's channel allowlist: ${configs.claude_channel.launch_allowlisted})`,
        "",
        "Codex (~/.codex/config.toml):",
        ...configs.codex.split("\n").map((l) => `  ${l}`),
        "",
        "Gemini CLI (~/.gemini/settings.json):",
        `  ${JSON.stringify(configs.gemini)}`,
      ].join("\n"),
  );
  if (!check.ok) io.err(`masc-agent: ${check.message}`);
  return check.ok ? 0 : 1;
}
