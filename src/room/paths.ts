import { fail } from "./errors";

export const MAX_PATH = 512;

/**
 * A lock path as stored: repo-relative with `/` separators, no `.` or empty segments. Refuses
 * anything that could name a file outside the repository or mean two things on two machines.
 */
export function normalizeLockPath(raw: string): string {
  const bad = (why: string): never => fail("invalid_path", `file '${printable(raw)}' ${why}`, { file: raw });
  if (raw.length === 0) bad("is empty; give a repo-relative path such as 'src/a.ts'");
  if (raw.length > MAX_PATH) bad(`is longer than ${MAX_PATH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(raw)) bad("contains a NUL or control character");
  if (raw.includes("\\")) bad("contains '\\'; use '/' separators");
  if (raw.startsWith("/")) bad("is absolute; give it relative to the repository root");
  if (/^[A-Za-z]:/.test(raw)) bad("starts with a drive letter; give it relative to the repository root");
  if (raw.startsWith("~")) bad("starts with '~'; give it relative to the repository root");
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) bad("contains a '..' segment; paths must stay inside the repository");
  if (segments.length === 0) bad("names no file; give a repo-relative path such as 'src/a.ts'");
  return segments.join("/");
}

function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: shown escaped in the error text.
  const shown = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
