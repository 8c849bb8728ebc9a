import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { markEncryption } from "../../src/room/encryption";
import { interrupt } from "../../src/room/interrupts";
import { broadcast } from "../../src/room/messages";
import { openPortal, sendPortal } from "../../src/room/portals";
import { resetSearch, search } from "../../src/room/search";
import type { Db } from "../../src/room/sql";
import { addTask, transition } from "../../src/room/tasks";
import { SEES_ALL } from "../../src/room/visibility";
import { mascError as error } from "../helpers/errors";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);

/** Every cell of the index's own tables, as text, to look for plaintext. */
function indexBytes(db: Db): string {
  const tables = db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_index%'");
  return tables
    .flatMap((t) => db.all<Record<string, unknown>>(`SELECT * FROM ${t.name}`))
    .flatMap((row) => Object.values(row).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : String(v))))
    .join("\n");
}

describe("search", () => {
  let db: Db;
  beforeEach(() => {
    db = memoryDb();
    join(db, T0, "ann");
    join(db, T0, "bob");
  });

  it("finds messages, task titles, descriptions, done notes and interrupts, ranked, with snippets", () => {
    broadcast(db, T0, "ann", "we decided the invoice module keeps amounts in cents", []);
    broadcast(db, T0, "bob", "lunch?", []);
    const t = addTask(db, T0, { title: "Invoice export", description: "CSV for accounting", priority: 2, created_by: "ann" });
    transition(db, T0, "ann", t.id, "claim");
    transition(db, T0, "ann", t.id, "done", { notes: "invoice rounding fixed" });
    interrupt(db, T0, { agent: "ann", task_id: t.id, step: 1, action: "deploy", message: "deploy invoices to prod?" });
    const page = search(db, "invoice*", [], 10, 0, SEES_ALL);
    expect(page.hits.map((h) => h.kind).sort()).toEqual(["interrupt", "message", "task"]);
    expect(page.hits.find((h) => h.kind === "message")?.snippet).toContain("[invoice]");
    expect(search(db, "rounding", [], 10, 0, SEES_ALL).hits).toMatchObject([{ kind: "task", ref: t.id }]);
    expect(search(db, "accounting", ["message"], 10, 0, SEES_ALL).hits).toEqual([]);
    const ranks = page.hits.map((h) => h.rank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it("pages with a cursor and keeps the index in step with edits and deletes", () => {
    for (let i = 0; i < 5; i++) broadcast(db, T0, "ann", `release note ${i}`, []);
    const first = search(db, "release", [], 2, 0, SEES_ALL);
    expect(first).toMatchObject({ has_more: true, next_cursor: "2" });
    const rest = search(db, "release", [], 10, 2, SEES_ALL);
    expect(rest.hits).toHaveLength(3);
    expect(new Set([...first.hits, ...rest.hits].map((h) => h.ref)).size).toBe(5);
    db.run("DELETE FROM events WHERE kind = 'broadcast'");
    expect(search(db, "release", [], 10, 0, SEES_ALL).hits).toEqual([]);
  });

  it("shows a reader no hit from a message mentioning another agent", () => {
    broadcast(db, T0, "ann", "@bob the wombat key", ["bob"]);
    const reader = { all: false, agent: "cy", seesMentions: false, seesPaths: false };
    expect(search(db, "wombat", [], 10, 0, reader).hits).toEqual([]);
    expect(search(db, "wombat", [], 10, 0, { ...reader, agent: "bob" }).hits).toHaveLength(1);
  });

  it("never indexes portal messages", () => {
    openPortal(db, T0, "ann", "bob");
    sendPortal(db, T0, "ann", "private salary figures");
    expect(search(db, "salary", [], 10, 0, SEES_ALL).hits).toEqual([]);
  });

  it.each(['"unterminated', "AND", "nosuchcol: x", "a OR"])("refuses the FTS syntax error %j naming the query", (q) => {
    const err = error(() => search(db, q, [], 10, 0, SEES_ALL));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toMatch(/^query '.*' is not valid search syntax/);
  });

  it("re-creates the index exactly as the migration made it, and drops every search object for encryption", () => {
    const objects = () =>
      db
        .all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE name LIKE 'search%' ORDER BY name")
        .map((o) => ({ name: o.name, sql: o.sql?.replace(/\s+/g, " ") }));
    const made = objects();
    expect(made.length).toBeGreaterThan(10);
    resetSearch(db, true);
    expect(objects()).toEqual([]);
    resetSearch(db, false);
    expect(objects()).toEqual(made);
  });

  it("with encryption on indexes nothing and says so; turning it on empties the index; off rebuilds it", () => {
    broadcast(db, T0, "ann", "zebrafish protocol", []);
    expect(search(db, "zebrafish", [], 10, 0, SEES_ALL).hits).toHaveLength(1);
    markEncryption(db, true);
    resetSearch(db, true);
    broadcast(db, T0, "ann", "okapi plaintext leak", []);
    addTask(db, T0, { title: "okapi task", description: "", priority: 3, created_by: "ann" });
    expect(search(db, "okapi", [], 10, 0, SEES_ALL)).toMatchObject({
      hits: [],
      searchable: expect.stringMatching(/^nothing: encryption at rest/),
    });
    expect(indexBytes(db)).not.toMatch(/zebrafish|okapi/);
    markEncryption(db, false);
    resetSearch(db, false);
    expect(search(db, "okapi", [], 10, 0, SEES_ALL).hits).toHaveLength(2);
  });
});
