import { emit, type Io } from "../cli/output.ts";
import { UsageError } from "../cli/parse.ts";
import type { Settings } from "../cli/resolve.ts";
import { terminalLine } from "../notify/commands.ts";
import { notifierName, notify } from "../notify/send.ts";

const failedOr = (name: string) => (name.startsWith("a line") ? name : `${name} failed; is there a desktop session?`);

/** `masc-agent notify --test`: one notification through the same path the daemon uses. */
export async function notifyCommand(s: Settings, args: string[], flags: { test?: boolean }, io: Io): Promise<number> {
  if (!flags.test && args[0] !== "test") throw new UsageError("usage: masc-agent notify --test");
  const note = { title: "masc", message: `test notification for room ${s.room}`, target: s.agents[0], from: "masc-agent" };
  const lines: string[] = [];
  const used = await notify(note, { line: (l) => void lines.push(l) });
  emit(io, s.json, { sent_with: used, printed: lines, notifier: notifierName() }, () =>
    used.length
      ? `sent with ${used.join(" + ")}; if nothing appeared, check the system's notification settings for your terminal`
      : `${lines[0] ?? terminalLine(note)}\nno desktop notifier worked here, so notifications are printed like the line above (${failedOr(notifierName())})`,
  );
  return 0;
}
