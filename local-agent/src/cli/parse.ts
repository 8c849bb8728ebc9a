import { parseArgs } from "node:util";

/** A mistake in how the command was called: exit code 2, with the command's usage. */
export class UsageError extends Error {}

export interface Flags {
  url?: string;
  room?: string;
  token?: string;
  "base-path"?: string;
  agent?: string[];
  json?: boolean;
  force?: boolean;
  base?: string;
  client?: string;
  write?: boolean;
  git?: boolean;
  test?: boolean;
  help?: boolean;
  version?: boolean;
  "no-permission-relay"?: boolean;
  "permission-timeout"?: string;
}

export interface Parsed {
  command: string;
  args: string[];
  flags: Flags;
}

const OPTIONS = {
  url: { type: "string" },
  room: { type: "string" },
  token: { type: "string" },
  "base-path": { type: "string" },
  agent: { type: "string", multiple: true },
  json: { type: "boolean" },
  force: { type: "boolean" },
  base: { type: "string" },
  client: { type: "string" },
  write: { type: "boolean" },
  git: { type: "boolean" },
  test: { type: "boolean" },
  "no-permission-relay": { type: "boolean" },
  "permission-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Other spellings people type for a command. */
const ALIASES: Record<string, string> = { hooks: "hook", worktrees: "worktree" };

/**
 * argv to a command, its arguments and flags. `--help` becomes `help <command>` so each command
 * prints its own help; `--version` wins over everything.
 */
export function parse(argv: string[]): Parsed {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const flags = values as Flags;
  if (flags.agent) flags.agent = flags.agent.flatMap((a) => a.split(",")).filter(Boolean);
  const [first, ...rest] = positionals;
  const command = first === undefined ? undefined : (ALIASES[first] ?? first);
  if (flags.version) return { command: "version", args: [], flags };
  if (flags.help) return { command: "help", args: command && command !== "help" ? [command] : rest.slice(0, 1), flags };
  return { command: command ?? "help", args: rest, flags };
}
