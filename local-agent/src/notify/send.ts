import { execFile, execFileSync } from "node:child_process";
import { type Note, notifyCommands, terminalLine } from "./commands.ts";

export type Runner = (cmd: string, args: string[]) => Promise<void>;

export const runCommand: Runner = (cmd, args) =>
  new Promise((resolve, reject) => execFile(cmd, args, { timeout: 10_000 }, (err) => (err ? reject(err) : resolve())));

export function onPath(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Which way notifications go on this machine, in words, for `up` and `notify --test`. */
export function notifierName(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const cmds = notifyCommands({ title: "", message: "" }, { platform, env, has: onPath });
  if (cmds[0]) return cmds[0].cmd;
  const hint = platform === "linux" ? " (no notify-send on PATH: install libnotify-bin or libnotify)" : "";
  return `a line on this terminal${hint}`;
}

/** Shows a notification the best way this machine can, falling back to a terminal line. */
export async function notify(
  note: Note,
  opts: { run?: Runner; line?: (text: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<string[]> {
  const env = opts.env ?? process.env;
  const cmds = notifyCommands(note, { platform: process.platform, env, has: onPath });
  const run = opts.run ?? runCommand;
  for (const c of cmds) {
    try {
      await run(c.cmd, c.args);
    } catch {
      (opts.line ?? console.error)(terminalLine(note));
      return [];
    }
  }
  if (cmds.length === 0) (opts.line ?? console.error)(terminalLine(note));
  return cmds.map((c) => c.cmd);
}
