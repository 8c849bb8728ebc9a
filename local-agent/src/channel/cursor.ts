import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Where a channel keeps the last room seq it has passed on, one file per server, room and agent
 * (decision 0040): `$XDG_STATE_HOME/masc-agent/channels/` (default `~/.local/state`). A restarted
 * channel resumes there, so nothing is lost or repeated; a first run starts at the room's newest.
 */
export function cursorFile(env: NodeJS.ProcessEnv, url: string, room: string, agent: string): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  const server = url.replace(/^https?:\/\//, "").replace(/[^A-Za-z0-9.-]+/g, "_");
  return join(base, "masc-agent", "channels", `${server}--${room}--${agent}.json`);
}

export function loadCursor(file: string): number | null {
  try {
    const seq = (JSON.parse(readFileSync(file, "utf8")) as { seq?: unknown }).seq;
    return typeof seq === "number" && Number.isInteger(seq) && seq >= 0 ? seq : null;
  } catch {
    return null;
  }
}

/** Written whole and renamed into place, so a crash mid-write never leaves half a file. */
export function saveCursor(file: string, seq: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ seq, saved_at: new Date().toISOString() }));
  renameSync(tmp, file);
}
