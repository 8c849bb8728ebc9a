import { fail } from "./errors";
import { normalizeLockPath, type PathCase, pathKey } from "./paths";

/** What `masc_lock(file)` holds, told apart by shape: `src/a.ts`, `src/auth/`, `src/auth/**` or `*.sql`. */
export type LockKind = "file" | "dir" | "glob";

export interface LockTarget {
  kind: LockKind;
  /** As shown to agents: the normalized path, a directory with its trailing '/', or the glob. */
  shown: string;
  /** The identity compared between locks: a directory becomes `<dir>/**`. */
  key: string;
  /**
   * The key's literal directories before any wildcard (a file's whole key). Two locks can overlap
   * only if one prefix starts the other, so SQL narrows the candidates before `overlaps`.
   */
  prefix: string;
}

function prefixOf(key: string): string {
  const wild = key.search(/[*?]/);
  return wild < 0 ? key : key.slice(0, Math.max(0, key.lastIndexOf("/", wild)));
}

const WILD = /[*?]/;
/** Overlap checks cost grows with wildcards; real leases need a handful. */
export const MAX_WILDCARDS = 12;

/**
 * Reads a lock argument. Globs are anchored at the repository root: `*` and `?` stay inside one
 * name, `**` (a whole segment) spans any number of directories; `[` and `{` are literal.
 */
export function lockTarget(raw: string, mode: PathCase = "fold", field = "file"): LockTarget {
  const bad = (why: string): never => fail("invalid_path", `${field} '${raw.slice(0, 80)}' ${why}`, { [field]: raw });
  if (/^[/.*?]+$/.test(raw) && !raw.includes("..") && /[/*]/.test(raw))
    bad("matches the whole repository; lease a directory such as 'src/auth/' or a glob such as 'src/auth/**'");
  const path = normalizeLockPath(raw, field);
  if (!WILD.test(path)) {
    if (raw.endsWith("/")) return withPrefix({ kind: "dir", shown: `${path}/`, key: `${pathKey(path, mode)}/**` });
    return withPrefix({ kind: "file", shown: path, key: pathKey(path, mode) });
  }
  const wild = path.match(/[*?]/g)?.length ?? 0;
  if (wild > MAX_WILDCARDS) bad(`has ${wild} wildcards; at most ${MAX_WILDCARDS} ('*', '?') keep overlap checks cheap`);
  const segments = path.split("/");
  for (const s of segments) {
    if (s.includes("**") && s !== "**") bad(`has '**' inside the name '${s}'; '**' must be a whole segment, as in 'src/**/x.ts'`);
  }
  if (segments.every((s) => /^[*?]+$/.test(s))) bad("matches every file; anchor it, e.g. 'src/**' or '*.sql'");
  const shown = raw.endsWith("/") ? `${path}/**` : path;
  return withPrefix({ kind: "glob", shown, key: pathKey(shown, mode) });
}

const withPrefix = (t: Omit<LockTarget, "prefix">): LockTarget => ({ ...t, prefix: prefixOf(t.key) });

/**
 * Whether two sequences of pattern elements can match a common sequence, where `star` matches any
 * run of elements (none included) and `same` says whether two other elements can match one thing.
 * Memoized over positions: linear in practice.
 */
function sequencesOverlap(a: ArrayLike<string>, b: ArrayLike<string>, star: string, same: (x: string, y: string) => boolean): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const id = i * (b.length + 1) + j;
    const known = memo.get(id);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (a[i] === star) r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === star) r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) r = false;
    else r = same(a[i] ?? "", b[j] ?? "") && go(i + 1, j + 1);
    memo.set(id, r);
    return r;
  };
  return go(0, 0);
}

/** Whether one name pattern (`*`, `?`, literals; no '/') and another can match a common name. */
const namesOverlap = (a: string, b: string): boolean => sequencesOverlap(a, b, "*", (x, y) => x === "?" || y === "?" || x === y);

/**
 * Whether some path matches both keys (file keys are patterns without wildcards), so a lock and a
 * lease conflict in both directions.
 */
export function overlaps(keyA: string, keyB: string): boolean {
  return keyA === keyB || sequencesOverlap(keyA.split("/"), keyB.split("/"), "**", namesOverlap);
}
