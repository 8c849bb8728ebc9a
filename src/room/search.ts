import { encryptionOn } from "./encryption";
import { fail } from "./errors";
import { CREATE_SEARCH, DROP_SEARCH, INDEX_PENDING, OVERWRITE_DOCS } from "./search-schema";
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
  indexPending(db);
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

/** Whether texts wait for the index; never while encryption at rest is on (there is no index). */
export function searchPending(db: Db): boolean {
  return !encryptionOn(db) && db.one("SELECT id FROM search_pending LIMIT 1") !== undefined;
}

/** Hands the queued texts to FTS5 in one write, so a search sees everything committed before it. */
export function indexPending(db: Db): void {
  if (!searchPending(db)) return;
  db.tx(() => {
    for (const sql of INDEX_PENDING) db.run(sql);
  });
}

/**
 * Called when encryption is switched, after the re-seal (which ran with the index frozen, so the
 * index's pages were not churned while sealed values were written). Turning it on overwrites every
 * indexed text in place with filler and drops the index, its table and its triggers: the freed
 * pages hold filler or FTS token blocks and are scrubbed with the rest. Turning it off creates
 * them again from the now-plain text.
 */
export function resetSearch(db: Db, encrypted: boolean): void {
  for (const sql of DROP_SEARCH) db.run(sql);
  if (db.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'search_docs'")) {
    db.run(OVERWRITE_DOCS);
    db.run("DROP TABLE search_docs");
  }
  if (!encrypted) for (const sql of CREATE_SEARCH) db.run(sql);
}

/** On start: a re-seal cut off mid-way left the index frozen; make it match the room again. */
export function recoverSearch(db: Db): void {
  if (db.one("SELECT 1 FROM meta WHERE key = 'search_frozen'") === undefined) return;
  db.tx(() => {
    db.run("DELETE FROM meta WHERE key = 'search_frozen'");
    resetSearch(db, encryptionOn(db));
  });
}
