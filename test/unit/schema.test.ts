import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import { memoryDb } from "../helpers/node-db";

describe("storage schema", () => {
  it("matches the snapshot, so changing it means adding a migration", () => {
    const db = memoryDb();
    const schema = db
      .all<{ type: string; name: string; sql: string | null }>(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .map((r) => `${r.type} ${r.name}: ${(r.sql ?? "").replace(/\s+/g, " ")}`);
    expect(schema).toMatchSnapshot();
  });

  it("applies each migration once, by name, and keeps versions unique", () => {
    const db = memoryDb();
    expect(migrate(db)).toBe(0);
    expect(db.all<{ name: string }>("SELECT name FROM _migrations ORDER BY version").map((r) => r.name)).toEqual(
      MIGRATIONS.map((m) => m.name),
    );
    expect(new Set(MIGRATIONS.map((m) => m.version)).size).toBe(MIGRATIONS.length);
  });
});
