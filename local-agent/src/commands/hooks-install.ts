import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { emit, type Io } from "../cli/output.ts";
import type { Settings } from "../cli/resolve.ts";
import { onPath } from "../notify/send.ts";
import { hookConfig, hookFlags, mergeHooks } from "./hook.ts";

/**
 * `masc-agent hook install`: the client's hook settings with the URL, room and agent resolved now
 * written into each command, printed or (with --write) merged into the settings file.
 */
export function hooksInstall(s: Settings, flags: { client?: string; write?: boolean }, io: Io): number {
  const cfg = hookConfig(flags.client ?? "claude", hookFlags(s));
  if (s.agents.length === 0) io.err("masc-agent: no --agent given: the hooks will show every mention and not know the agent's own locks");
  if (!onPath("masc-agent"))
    io.err("masc-agent: masc-agent is not on PATH, so the client cannot run these hooks; install it with npm i -g masc-agent");
  if (!flags.write) {
    emit(
      io,
      s.json,
      { ...cfg, url: s.url, room: s.room, agent: s.agents[0] ?? null },
      () => `# ${cfg.file}\n${JSON.stringify(cfg.snippet, null, 2)}`,
    );
    return 0;
  }
  const file = join(s.root, cfg.file);
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new Error(
        `${file} is not valid JSON (${err instanceof Error ? err.message : err}); fix it or move it away, nothing was written`,
      );
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(mergeHooks(current, cfg.snippet), null, 2)}\n`);
  emit(
    io,
    s.json,
    { wrote: file, url: s.url, room: s.room, agent: s.agents[0] ?? null },
    () => `wrote ${file}: hooks for room ${s.room} at ${s.url}${s.agents[0] ? ` as ${s.agents[0]}` : ""}`,
  );
  return 0;
}
