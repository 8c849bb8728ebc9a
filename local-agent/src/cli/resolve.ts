import { basename, resolve as resolvePath } from "node:path";
import { GitError, mainRoot } from "../git/git.ts";
import { type Flags, UsageError } from "./parse.ts";

export interface Settings {
  /** The server's base URL (no path to a room or endpoint). */
  url: string;
  token: string | undefined;
  /** The main repository root (shared by all its worktrees), or the base path outside git. */
  root: string;
  inGit: boolean;
  room: string;
  /** Where the room name came from, for messages. */
  roomFrom: "--room" | "url" | "MASC_CLUSTER_NAME" | "directory";
  /** The name as given, when it had to change to become a room name. */
  roomGiven: string | null;
  agents: string[];
  json: boolean;
  /** Things the user should know about how their input was read (an MCP URL cut to its base, a name changed). */
  notices: string[];
}

export const DEFAULT_URL = "http://127.0.0.1:8787";
export const DEFAULT_ROOM = "default";
const ROOM_RE = /^[A-Za-z0-9._-]{1,64}$/;
// The room's rule (src/mcp/fields.ts): a leading '-' would also read as an option to git.
const AGENT_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A room name the server accepts, from any directory or cluster name: "My Repo (ü)" -> "My-Repo-u". */
export function roomName(raw: string): string {
  const cleaned = raw
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 64);
  return cleaned || "default";
}

/**
 * The server's base URL from whatever URL of it the user has at hand: the base, `/mcp`,
 * `/r/<room>`, `/r/<room>/mcp`, `/r/<room>/ws`, with or without a query. Returns the room the URL
 * names, if any.
 */
export function serverUrl(raw: string): { base: string; room: string | null } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:8787, got '${raw}'`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--url must be http or https, got '${u.protocol}'`);
  const path = u.pathname.replace(/\/+$/, "");
  const inRoom = /^(.*?)\/r\/([^/]+)(?:\/.*)?$/.exec(path);
  if (inRoom) return { base: `${u.origin}${inRoom[1]}`, room: decodeURIComponent(inRoom[2] ?? "") };
  const endpoint = /^(.*?)\/(?:mcp|ws|health|graphql|metrics)$/.exec(path);
  if (endpoint) return { base: `${u.origin}${endpoint[1]}`, room: DEFAULT_ROOM };
  return { base: `${u.origin}${path}`, room: null };
}

/** Flags, then environment, then defaults — the same order as the original server. */
export async function resolveSettings(flags: Flags, env: NodeJS.ProcessEnv, cwd: string): Promise<Settings> {
  const notices: string[] = [];
  const rawUrl = flags.url ?? env.MASC_URL ?? DEFAULT_URL;
  const server = serverUrl(rawUrl);
  if (server.base !== rawUrl.replace(/\/+$/, "")) {
    notices.push(
      `using server ${server.base}${server.room ? ` and room ${server.room}` : ""} from ${flags.url ? "--url" : "MASC_URL"} ${rawUrl}`,
    );
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
  if (flags.room !== undefined && !ROOM_RE.test(flags.room)) {
    throw new UsageError(
      `--room must be 1-64 characters of letters, digits, '.', '_' or '-', got '${flags.room}' (the closest valid name is ${roomName(flags.room)})`,
    );
  }
  if (flags.room !== undefined && server.room !== null && flags.url && server.room !== flags.room) {
    throw new UsageError(`--room ${flags.room} and --url (room ${server.room}) name different rooms; pass one`);
  }
  let room: string;
  let roomFrom: Settings["roomFrom"];
  if (flags.room !== undefined) [room, roomFrom] = [flags.room, "--room"];
  else if (server.room !== null) [room, roomFrom] = [server.room, "url"];
  else if (env.MASC_CLUSTER_NAME) [room, roomFrom] = [roomName(env.MASC_CLUSTER_NAME), "MASC_CLUSTER_NAME"];
  else [room, roomFrom] = [roomName(basename(root)), "directory"];
  const given = roomFrom === "MASC_CLUSTER_NAME" ? env.MASC_CLUSTER_NAME : roomFrom === "directory" ? basename(root) : room;
  if (given !== room)
    notices.push(
      `room ${room} (from ${roomFrom === "directory" ? "the directory name" : roomFrom} '${given}', which is not a valid room name)`,
    );
  if (!ROOM_RE.test(room)) throw new UsageError(`the room in --url, '${room}', is not a valid room name`);
  const agents = flags.agent ?? (env.MASC_AGENT_NAMES ?? env.MASC_AGENT_NAME ?? "").split(",").filter(Boolean);
  const badAgent = agents.find((a) => !AGENT_RE.test(a));
  if (badAgent !== undefined) {
    throw new UsageError(
      `${flags.agent ? "--agent" : "MASC_AGENT_NAMES"} must be agent names of 1-64 letters, digits, '-' or '_' that start with a letter or digit, got '${badAgent}'`,
    );
  }
  return {
    url: server.base,
    token: flags.token ?? (env.MASC_TOKEN || undefined),
    root,
    inGit,
    room,
    roomFrom,
    roomGiven: given !== undefined && given !== room ? given : null,
    agents,
    json: flags.json ?? false,
    notices,
  };
}

export function roomUrl(s: Pick<Settings, "url" | "room">, path = "mcp"): string {
  return `${s.url}/r/${encodeURIComponent(s.room)}/${path}`;
}
