/** One help text per command, each with examples; `masc-agent <command> --help` prints it. */

const CONNECTION = `Connection options (every command):
  --url URL          the masc server: its base URL or any MCP URL of it, e.g.
                     https://masc.example.workers.dev/r/my-repo/mcp (MASC_URL; default http://127.0.0.1:8787)
  --room NAME        the room (else the room named in --url, else MASC_CLUSTER_NAME, else the repository's name)
  --token TOKEN      bearer token when the room has auth on (MASC_TOKEN)
  --base-path DIR    the repository (MASC_BASE_PATH, ME_ROOT; default the current directory)
  --agent NAME       agents working on this machine, comma separated (MASC_AGENT_NAMES)
  --json             machine-readable output`;

const EXIT = `Exit codes: 0 ok, 1 error (server unreachable, refused token, git failure), 2 usage (bad command or option);
agent hooks (hook pre-edit|prompt|post-tool) never exit 2, which their clients read as "block".`;

export const COMMAND_HELP: Record<string, string> = {
  up: `masc-agent up — connect this repository to its room and do what the room asks

Keeps a WebSocket to the room, registers this machine and repository, creates and removes git
worktrees when an agent calls masc_worktree_*, and shows desktop notifications for mentions of
this machine's agents. It never gives up: when the server goes away it reconnects (backoff up to
30 s, one line on each change) and catches up on what it missed. Ctrl-C or SIGTERM stops it.

Usage: masc-agent up [--url URL] [--room NAME] [--token TOKEN] [--agent NAME]

Examples:
  masc-agent up
  masc-agent up --url https://masc.example.workers.dev --agent claude
  MASC_TOKEN=masc_... masc-agent up --url https://masc.example.workers.dev/r/team/mcp`,

  room: `masc-agent room — the room this repository uses, whether its server answers, MCP client config

Checks the server's /health and whether the room lets you in; exits 1 when the server is
unreachable or the room needs a (different) token, after printing what it resolved.

Usage: masc-agent room [--url URL] [--room NAME] [--json]

Examples:
  masc-agent room
  masc-agent room --json --url http://127.0.0.1:8787`,

  stdio: `masc-agent stdio — a stdio MCP server bridged to the room, for clients that speak only stdio

Every message goes to the room's MCP endpoint as it is, and the room's pushes come back. When the
server goes away the session is kept: requests meanwhile get an error, the push stream reopens by
itself (backoff up to 30 s) and resumes where it stopped.

Without --token, a room with auth on is signed in to by OAuth: the browser opens on the room's
sign-in page (or its URL is printed), you paste the invite an admin gave you (masc_auth_invite),
and the token is kept in ~/.config/masc/oauth.json (mode 0600; MASC_CONFIG_DIR moves it).

Usage: masc-agent stdio [--url URL] [--room NAME] [--token TOKEN]

Examples:
  claude mcp add masc -- masc-agent stdio --url https://masc.example.workers.dev --room my-repo
  { "mcpServers": { "masc": { "command": "masc-agent", "args": ["stdio", "--room", "my-repo"] } } }`,

  channel: `masc-agent channel — the stdio bridge as a Claude Code channel: the room speaks to the session

Serves every masc tool as 'masc-agent stdio' does, and pushes into the session, as channel events,
what concerns this agent: @mentions of it (also @all and @@type), portal messages to it, a task
that became its own, the decision on its interrupt, a lock it was refused that is free again, a
new vote. A burst becomes a few events and one with the count and the call that reads the rest.
The last seq passed on is kept in $XDG_STATE_HOME/masc-agent/channels/ (default ~/.local/state),
so a restart neither loses nor repeats an event.

Claude Code's permission prompts become room approvals (masc_pending_interrupts, the dashboard);
masc_approve / masc_reject with the request_id answer them in the session. Undecided ones expire
after --permission-timeout seconds (default 600). --no-permission-relay leaves them in the terminal.

Usage: masc-agent channel --agent NAME [--url URL] [--room NAME] [--token TOKEN]
                          [--no-permission-relay] [--permission-timeout SECONDS]

Examples:
  { "mcpServers": { "masc": { "command": "masc-agent", "args": ["channel", "--agent", "claude", "--room", "my-repo"] } } }
  claude --dangerously-load-development-channels server:masc`,

  worktree: `masc-agent worktree — the git worktrees the room asks for, by hand

Worktrees live in <repo>/.worktrees/<agent>-<task> on branch <agent>/<task>.

Usage:
  masc-agent worktree create <agent> <task> [--base BRANCH]
  masc-agent worktree remove <agent> <task> [--force]
  masc-agent worktree list [--json]

Examples:
  masc-agent worktree create claude task-001 --base main
  masc-agent worktree remove claude task-001 --force`,

  hook: `masc-agent hook — agent hooks for Claude Code, Codex and Gemini CLI

'hook install' writes (with --write) or prints the hook settings for a client, with the server
URL, room and agent resolved now, so the hooks reach the same room from any directory. The token
is never written: the hooks read MASC_TOKEN from the environment. The other subcommands are what
the client runs: JSON on stdin, a decision or extra context on stdout.

Usage:
  masc-agent hook install --client claude|codex|gemini [--write] [--agent NAME]
  masc-agent hooks install --git   a git pre-commit guard in the main checkout and every worktree:
                                   refuses a commit over another agent's lock or lease
                                   (warns and allows when the room is down; skip once with
                                   git commit --no-verify; an existing hook is kept and still runs)
  masc-agent hook pre-edit|prompt|post-tool

Examples:
  masc-agent hook install --client claude --agent claude --write
  masc-agent hooks install --git
  masc-agent hooks install --client gemini --url https://masc.example.workers.dev`,

  notify: `masc-agent notify --test — show a test notification, to check this machine's setup

Uses terminal-notifier or osascript on macOS, notify-send on Linux, and otherwise prints one line
on the terminal, saying which it used.

Usage: masc-agent notify --test [--json]

Example:
  masc-agent notify --test`,
};

export const HELP = `masc-agent — masc's companion on your machine: worktrees, notifications, stdio bridge, hooks

Usage: masc-agent <command> [options]

Commands:
  up                   connect this repository to its room and do what the room asks
  room                 the room, whether its server answers, and MCP client config
  stdio                a stdio MCP server bridged to the room (for stdio-only clients)
  channel              the stdio bridge as a Claude Code channel: room events and permission prompts
  worktree create|remove|list   git worktrees by hand
  hook install         hook settings for Claude Code, Codex or Gemini CLI (also: hooks)
  notify --test        show a test notification

Run 'masc-agent <command> --help' for a command's options and examples.

${CONNECTION}
  -h, --help         help (for a command: masc-agent <command> --help)
  -v, --version      the version

${EXIT}`;

export function commandHelp(command: string | undefined): string | null {
  if (command === undefined) return HELP;
  const text = COMMAND_HELP[command];
  return text ? `${text}\n\n${CONNECTION}\n\n${EXIT}` : null;
}
