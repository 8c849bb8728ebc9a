import { encryptionOn } from "./encryption";
import { fail } from "./errors";
import type { Db } from "./sql";
import { type Viewer, visibleSql } from "./visibility";

export const SEARCH_KINDS = ["message", "task", "interrupt"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  /** A message's seq, a task's id, an interrupt's checkpoint id. */
  ref: string;
  snippet: string;
  rank: number;
}

export interface SearchPage {
  hits: SearchHit[];
  has_more: boolean;
  next_cursor: string | null;
  /** Said when nothing can be found because of encryption at rest. */
  searchable?: string;
}

export const SEALED_NOTE = "nothing: encryption at rest is on, and sealed message, task and interrupt text is never indexed in clear";

const SYNTAX = /fts5: syntax error|unterminated string|no such column|unknown special query|malformed MATCH/i;

/**
 * Ranked (bm25) full-text hits with snippets, `offset` paging. A query FTS5 cannot parse is
 * refused naming the field, not passed on as an internal error.
 */
export function search(db: Db, query: string, kinds: readonly SearchKind[], limit: number, offset: number, viewer: Viewer): SearchPage {
  if (encryptionOn(db)) return { hits: [], has_more: false, next_cursor: null, searchable: SEALED_NOTE };
  const use = kinds.length > 0 ? kinds : SEARCH_KINDS;
  // A message hit is shown only to whoever may see the message itself (mentions of others).
  const v = visibleSql(viewer);
  let rows: Array<{ kind: SearchKind; ref: string | number; snippet: string; rank: number }>;
  try {
    rows = db.all(
      `SELECT kind, ref, snippet(search_index, 0, '[', ']', '…', 12) AS snippet, bm25(search_index) AS rank
       FROM search_index WHERE search_index MATCH ? AND kind IN (${use.map(() => "?").join(", ")})
         AND (kind != 'message' OR EXISTS (SELECT 1 FROM events e WHERE e.seq = search_index.ref AND ${v.sql}))
       ORDER BY rank, rowid LIMIT ? OFFSET ?`,
      query,
      ...use,
      ...v.params,
      limit + 1,
      offset,
    );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (!SYNTAX.test(why)) throw err;
    fail(
      "invalid_input",
      `query '${query.slice(0, 80)}' is not valid search syntax (${why.replace(/^Error: /, "").replace(/: SQLITE_ERROR$/, "")}); use words, "a phrase", AND/OR/NOT, or prefix*`,
      { query },
    );
  }
  const hits = rows.slice(0, limit).map((r) => ({ kind: r.kind, ref: String(r.ref), snippet: r.snippet, rank: r.rank }));
  const more = rows.length > limit;
  return { hits, has_more: more, next_cursor: more ? String(offset + limit) : null };
}

const REBUILD = [
  "INSERT INTO search_index (rowid, text, kind, ref) SELECT seq * 4, body, 'message', seq FROM events WHERE kind = 'broadcast' AND body NOT LIKE 'enc:%'",
  `INSERT INTO search_index (rowid, text, kind, ref)
   SELECT num * 4 + 1, title || ' ' || description || ' ' || coalesce(notes, ''), 'task', id FROM tasks WHERE title NOT LIKE 'enc:%'`,
  "INSERT INTO search_index (rowid, text, kind, ref) SELECT id * 4 + 2, message, 'interrupt', id FROM checkpoints WHERE message NOT LIKE 'enc:%'",
];

/**
 * Called right after encryption is switched, in the same transaction. Turning it on empties the
 * index and merges its segments so no indexed plaintext stays in live pages (the freed pages are
 * scrubbed afterwards with the rest); turning it off indexes the now-plain text again.
 */
export function resetSearch(db: Db, encrypted: boolean): void {
  db.run("DELETE FROM search_index");
  if (!encrypted) for (const sql of REBUILD) db.run(sql);
  db.run("INSERT INTO search_index (search_index) VALUES ('optimize')");
}
