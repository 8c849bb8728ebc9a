import { emit, type Io } from "../cli/output.ts";
import { roomUrl, type Settings } from "../cli/resolve.ts";

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
    codex: `[mcp_servers.masc]\nurl = "${url}"${s.token ? '\nbearer_token_env_var = "MASC_TOKEN"' : ""}`,
    gemini: { mcpServers: { masc: { httpUrl: url, ...(auth ? { headers: auth } : {}) } } },
  };
}

export function roomCommand(s: Settings, io: Io): number {
  const configs = clientConfigs(s);
  emit(io, s.json, { room: s.room, url: roomUrl(s), repository: s.root, in_git: s.inGit, config: configs }, () =>
    [
      `room:       ${s.room}`,
      `url:        ${roomUrl(s)}`,
      `repository: ${s.root}${s.inGit ? "" : " (not a git repository)"}`,
      "",
      "Claude Code:",
      `  ${configs.claude_code.command}`,
      `  or .mcp.json: ${JSON.stringify(configs.claude_code.json)}`,
      "",
      "Codex (~/.codex/config.toml):",
      ...configs.codex.split("\n").map((l) => `  ${l}`),
      "",
      "Gemini CLI (~/.gemini/settings.json):",
      `  ${JSON.stringify(configs.gemini)}`,
    ].join("\n"),
  );
  return 0;
}
