import { parseArgs } from "node:util";

export class UsageError extends Error {}

export interface Flags {
  url?: string;
  token?: string;
  "base-path"?: string;
  agent?: string[];
  json?: boolean;
  force?: boolean;
  base?: string;
  client?: string;
  write?: boolean;
  git?: boolean;
  help?: boolean;
}

export interface Parsed {
  command: string;
  args: string[];
  flags: Flags;
}

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  "base-path": { type: "string" },
  agent: { type: "string", multiple: true },
  json: { type: "boolean" },
  force: { type: "boolean" },
  base: { type: "string" },
  client: { type: "string" },
  write: { type: "boolean" },
  git: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function parse(argv: string[]): Parsed {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const [command = "help", ...args] = positionals;
  const flags = values as Flags;
  if (flags.agent) flags.agent = flags.agent.flatMap((a) => a.split(",")).filter(Boolean);
  return { command: flags.help ? "help" : command, args, flags };
}

export const HELP = `masc-agent — masc's companion on your machine

Usage: masc-agent <command> [options]

Commands:
  up                         connect to the room and do what it asks (worktrees, notifications)
  room                       print the room, its URL and MCP client config
  worktree create <agent> <task> [--base B]
  worktree remove <agent> <task> [--force]
  worktree list
  stdio                      a stdio MCP server bridged to the room (for stdio-only clients)
  hook pre-edit|prompt|post-tool   agent hooks (JSON on stdin, Claude Code protocol)
  hook install --client claude|codex|gemini [--write]
  hooks install --git        git pre-commit guard: refuses commits over other agents' locks
                             (main checkout and every worktree; skip once: git commit --no-verify)
  notify test                send a test notification

Options:
  --url URL          server (MASC_URL, default http://127.0.0.1:8787)
  --token TOKEN      bearer token (MASC_TOKEN)
  --base-path DIR    repository (MASC_BASE_PATH, ME_ROOT, else the current directory)
  --agent NAME       agents working on this machine (MASC_AGENT_NAMES, comma separated)
  --json             machine-readable output
`;
