import { printable } from "../cli/output.ts";

/** What to tell the human, and about whom (for the click-to-focus action). */
export interface Note {
  title: string;
  message: string;
  target?: string;
  from?: string;
  task?: string;
}

export interface Command {
  cmd: string;
  args: string[];
}

export interface NotifyEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Whether an executable is on PATH; injected so tests decide. */
  has: (cmd: string) => boolean;
}

/** `{{target}}`, `{{from}}` and `{{task}}` in a focus command template. */
export function fillTokens(template: string, note: Note): string {
  return template
    .replaceAll("{{target}}", note.target ?? "")
    .replaceAll("{{from}}", note.from ?? "")
    .replaceAll("{{task}}", note.task ?? "");
}

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const asQuote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** The shell command that brings the right terminal forward, from the MASC_NOTIFY_FOCUS_* settings. */
export function focusCommand(note: Note, env: Record<string, string | undefined>): string | null {
  if (env.MASC_NOTIFY_FOCUS_CMD) return fillTokens(env.MASC_NOTIFY_FOCUS_CMD, note);
  const parts: string[] = [];
  if (env.MASC_NOTIFY_FOCUS_APP) parts.push(`open -a ${shQuote(env.MASC_NOTIFY_FOCUS_APP)}`);
  if (env.MASC_TMUX_SESSION && note.target) parts.push(`tmux select-window -t ${shQuote(`${env.MASC_TMUX_SESSION}:${note.target}`)}`);
  return parts.length ? parts.join("; ") : null;
}

/**
 * The commands that show a desktop notification here: macOS terminal-notifier (with a click
 * action) or osascript, Linux notify-send; an empty list means "print a line on the terminal".
 */
export function notifyCommands(note: Note, ctx: NotifyEnv): Command[] {
  const focus = focusCommand(note, ctx.env);
  if (ctx.platform === "darwin") {
    if (ctx.has("terminal-notifier")) {
      const args = ["-title", note.title, "-message", note.message, "-group", "masc"];
      if (focus) args.push("-execute", focus);
      return [{ cmd: "terminal-notifier", args }];
    }
    const cmds: Command[] = [
      { cmd: "osascript", args: ["-e", `display notification ${asQuote(note.message)} with title ${asQuote(note.title)}`] },
    ];
    if (focus && ctx.env.MASC_NOTIFY_FOCUS_ON_OSASCRIPT === "1") cmds.push({ cmd: "sh", args: ["-c", focus] });
    return cmds;
  }
  if (ctx.platform === "linux" && ctx.has("notify-send"))
    return [{ cmd: "notify-send", args: ["--app-name=masc", note.title, note.message] }];
  return [];
}

/** The fallback: one line on the terminal, whatever the message holds. */
export function terminalLine(note: Note): string {
  return printable(`[masc] ${note.title}: ${note.message}`, true);
}
