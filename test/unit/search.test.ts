import { beforeEach, describe, expect, it } from "vitest";
import { join } from "../../src/room/agents";
import { markEncryption } from "../../src/room/encryption";
import { interrupt } from "../../src/room/interrupts";
import { runDueJobs } from "../../src/room/maintenance";
import { broadcast } from "../../src/room/messages";
import { openPortal, sendPortal } from "../../src/room/portals";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import { indexPending, resetSearch, search } from "../../src/room/search";
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

  it("queues new texts for FTS5 and indexes them in one batch before a search or from the alarm", () => {
    const pending = () => db.all<{ id: number }>("SELECT id FROM search_pending ORDER BY id").map((r) => r.id);
    const segments = () => db.one<{ n: number }>("SELECT COUNT(*) AS n FROM search_index_data")?.n;
    const before = segments();
    const sent = broadcast(db, T0, "ann", "capybara migration plan", []);
    const t = addTask(db, T0, { title: "capybara pen", description: "", priority: 3, created_by: "bob" });
    expect(pending()).toHaveLength(2);
    expect(segments()).toBe(before);
    expect(runDueJobs(db, T0, { zombieThresholdMs: 3_600_000 } as never)).toContain("search index");
    expect(pending()).toEqual([]);
    expect(
      search(db, "capybara", [], 10, 0, SEES_ALL)
        .hits.map((h) => h.ref)
        .sort(),
    ).toEqual([String(sent.seq), t.id].sort());
    // Queued and then changed or deleted before any batch: FTS5 only ever sees the last text.
    const u = addTask(db, T0, { title: "axolotl tank", description: "", priority: 3, created_by: "bob" });
    db.run("UPDATE tasks SET title = 'salamander tank' WHERE id = ?", u.id);
    broadcast(db, T0, "ann", "axolotl gone", []);
    db.run("DELETE FROM events WHERE body = 'axolotl gone'");
    expect(search(db, "axolotl", [], 10, 0, SEES_ALL).hits).toEqual([]);
    expect(search(db, "salamander", [], 10, 0, SEES_ALL).hits).toMatchObject([{ ref: u.id }]);
    // Indexed, then changed: the old words leave the index at once.
    db.run("UPDATE tasks SET title = 'newt tank' WHERE id = ?", u.id);
    expect(search(db, "salamander", [], 10, 0, SEES_ALL).hits).toEqual([]);
    expect(search(db, "newt", [], 10, 0, SEES_ALL).hits).toMatchObject([{ ref: u.id }]);
    db.run("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
  });

  it("leaves the index alone when a write sets an indexed column to what it was", () => {
    const t = addTask(db, T0, { title: "quokka", description: "", priority: 3, created_by: "ann" });
    transition(db, T0, "ann", t.id, "claim");
    indexPending(db);
    const segments = db.all("SELECT * FROM search_index_data");
    transition(db, T0, "ann", t.id, "done");
    expect(db.all("SELECT id FROM search_pending")).toEqual([]);
    expect(db.all("SELECT * FROM search_index_data")).toEqual(segments);
  });

  it("moves a room whose index was filled by the old triggers onto the queue without losing a text", () => {
    const old = memoryDb(MIGRATIONS.filter((m) => m.version <= 110));
    join(old, T0, "ann");
    broadcast(old, T0, "ann", "pangolin scales", []);
    // As such a room was: every text in FTS5, no queue (migration 44 once made no such table).
    indexPending(old);
    old.run("DROP TABLE search_pending");
    expect(
      migrate(
        old,
        MIGRATIONS.filter((m) => m.version <= 120),
      ),
    ).toBe(1);
    expect(old.all("SELECT id FROM search_pending")).toEqual([]);
    broadcast(old, T0, "ann", "pangolin diet", []);
    expect(old.all("SELECT id FROM search_pending")).toHaveLength(1);
    expect(search(old, "pangolin", [], 10, 0, SEES_ALL).hits).toHaveLength(2);
    old.run("INSERT INTO search_index (search_index) VALUES ('integrity-check')");
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
