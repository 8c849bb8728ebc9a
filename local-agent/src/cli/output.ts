/** Where a command writes: human text by default, one JSON document with --json. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Text that came from the room (another agent's message, a server error) without the control
 * characters a terminal obeys: escape sequences could rewrite the screen, the title or the clipboard.
 */
export function printable(text: string, oneLine = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must go.
  const cleaned = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\uFFFD");
  return oneLine ? cleaned.replace(/[\n\t]+/g, " ") : cleaned;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  // Diagnostics quote the room (its errors, its reasons); keep them inert on a terminal.
  err: (t) => process.stderr.write(printable(t.endsWith("\n") ? t : `${t}\n`)),
};

export function emit(io: Io, json: boolean, data: unknown, human: () => string): void {
  io.out(json ? JSON.stringify(data, null, 2) : human());
}
