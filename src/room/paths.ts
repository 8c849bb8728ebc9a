import { fail } from "./errors";

export const MAX_PATH = 512;

/** How lock identities compare letter case: folded by default (macOS and Windows file systems ignore case). */
export type PathCase = "fold" | "exact";

/**
 * Characters that render as nothing or reorder text, so two paths that look alike would be two
 * locks: C1 controls (incl. U+0085), line/paragraph separators, bidi controls and marks, zero-width
 * characters, soft hyphen, word joiner, BOM.
 */
const INVISIBLE: ReadonlyArray<[RegExp, string]> = [
  [/[\u0080-\u009f]/, "a C1 control character"],
  [/[\u2028\u2029]/, "a Unicode line or paragraph separator"],
  [/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/, "a bidirectional control character"],
  [/[\u200b-\u200d\u2060\ufeff\u00ad\u180e]|\u034f/, "a zero-width or invisible character"],
];

/** ASCII characters with a meaning in a path or pattern; a look-alike that NFKC turns into one is refused. */
const SIGNIFICANT = /[/\\*?.:~]/;

const hex = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * A lock path as shown: repo-relative with `/` separators, NFC, no `.` or empty segments. Refuses
 * anything that could name a file outside the repository, mean two things on two machines, or look
 * like another path. `field` names the argument in errors.
 */
export function normalizeLockPath(raw: string, field = "file"): string {
  const bad = (why: string): never => fail("invalid_path", `${field} '${printable(raw)}' ${why}`, { [field]: raw });
  if (raw.length === 0) bad("is empty; give a repo-relative path such as 'src/a.ts'");
  if (raw.length > MAX_PATH) bad(`is longer than ${MAX_PATH} characters`);
  if (!raw.isWellFormed()) bad("contains a lone surrogate (not valid Unicode)");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(raw)) bad("contains a NUL or control character");
  for (const [re, what] of INVISIBLE) {
    const hit = raw.match(re)?.[0];
    if (hit) bad(`contains ${what} (${hex(hit)}); paths must be visible text`);
  }
  for (const c of raw) {
    if (c.charCodeAt(0) > 0x7f && SIGNIFICANT.test(c.normalize("NFKC")))
      bad(`contains ${hex(c)}, which reads as '${c.normalize("NFKC")}'; type the ASCII character instead`);
  }
  if (raw.includes("\\")) bad("contains '\\'; use '/' separators");
  if (raw.startsWith("/")) bad("is absolute; give it relative to the repository root");
  if (/^[A-Za-z]:/.test(raw)) bad("starts with a drive letter; give it relative to the repository root");
  if (raw.startsWith("~")) bad("starts with '~'; give it relative to the repository root");
  const segments = raw
    .normalize("NFC")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) bad("contains a '..' segment; paths must stay inside the repository");
  if (segments.length === 0) bad("names no file; give a repo-relative path such as 'src/a.ts'");
  const trailing = segments.find((s) => /[. ]$/.test(s));
  if (trailing !== undefined)
    bad(`has a name ending in '.' or a space ('${trailing}'); Windows drops those, so it would name another file`);
  return segments.join("/");
}

/**
 * The identity of a normalized path: two spellings of one file get one key. Compatibility forms
 * fold too (NFKC: 'ﬁ' is 'fi', fullwidth 'Ａ' is 'A'), then case (upper-then-lower also folds 'ß'
 * to 'ss' and final sigma), then NFKC again since folding can denormalize. "exact" keeps case.
 */
export function pathKey(path: string, mode: PathCase = "fold"): string {
  const compat = path.normalize("NFKC");
  return mode === "exact" ? compat : compat.toUpperCase().toLowerCase().normalize("NFKC");
}

function printable(s: string): string {
  const shown = s.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: shown escaped in the error text.
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\u00ad\u061c]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
