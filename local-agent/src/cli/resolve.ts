import { basename, resolve as resolvePath } from "node:path";
import { GitError, mainRoot } from "../git/git.ts";
import type { Flags } from "./parse.ts";

export interface Settings {
  url: string;
  token: string | undefined;
  /** The main repository root (shared by all its worktrees), or the base path outside git. */
  root: string;
  inGit: boolean;
  room: string;
  agents: string[];
  json: boolean;
}

export const DEFAULT_URL = "http://127.0.0.1:8787";

/** A room name the server accepts, from any directory or cluster name. */
export function roomName(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9._-]/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return cleaned || "default";
}

/** Flags, then environment, then defaults — the same order as the original server. */
export async function resolveSettings(flags: Flags, env: NodeJS.ProcessEnv, cwd: string): Promise<Settings> {
  const url = (flags.url ?? env.MASC_URL ?? DEFAULT_URL).replace(/\/+$/, "");
  try {
    new URL(url);
  } catch {
    throw new Error(`--url must be an http(s) URL, got ${url}`);
  }
  const base = resolvePath(cwd, flags["base-path"] ?? env.MASC_BASE_PATH ?? env.ME_ROOT ?? cwd);
  let root = base;
  let inGit = true;
  try {
    root = await mainRoot(base);
  } catch (err) {
    if (!(err instanceof GitError) || /not installed/.test(err.message)) throw err;
    inGit = false;
  }
  const agents = flags.agent ?? (env.MASC_AGENT_NAMES ?? env.MASC_AGENT_NAME ?? "").split(",").filter(Boolean);
  return {
    url,
    token: flags.token ?? env.MASC_TOKEN ?? undefined,
    root,
    inGit,
    room: roomName(env.MASC_CLUSTER_NAME ?? basename(root)),
    agents,
    json: flags.json ?? false,
  };
}

export function roomUrl(s: Settings, path = "mcp"): string {
  return `${s.url}/r/${encodeURIComponent(s.room)}/${path}`;
}
