import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callTool } from "../../src/mcp/call";
import { TOOLS } from "../../src/mcp/registry";
import { join } from "../../src/room/agents";
import type { Db } from "../../src/room/sql";
import { addTask } from "../../src/room/tasks";
import { memoryDb } from "../helpers/node-db";
import { toolContext } from "../helpers/tool-context";

const T0 = Date.UTC(2026, 10, 1);

function dump(db: Db): string {
  const tables = db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((t) => t.name);
  return tables.map((t) => `${t}:${JSON.stringify(db.all(`SELECT * FROM ${t}`))}`).join("\n");
}

/** Values of every JSON shape, with the strings a tool is likely to meet. */
const value = fc.oneof(
  fc.constantFrom("claude", "gemini", "task-001", "vote-001", "", "../etc/passwd", "a".repeat(300), "full", "todo", "src/a.ts"),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

describe("every tool under arbitrary input", () => {
  for (const tool of TOOLS) {
    it(`${tool.name}: never crashes, and a refused call changes nothing`, async () => {
      const fields = Object.keys(tool.input);
      const args = fc.oneof(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] }),
      );
      await fc.assert(
        fc.asyncProperty(args, async (input) => {
          const db = memoryDb();
          join(db, T0, "claude");
          join(db, T0, "gemini");
          addTask(db, T0, { title: "seed" });
          const before = dump(db);
          const result = await callTool(tool, input, toolContext(db, T0 + 1000));
          const text = result.content[0]?.type === "text" ? result.content[0].text : "";
          expect(text.startsWith("internal_error"), text).toBe(false);
          if (result.isError) expect(dump(db)).toBe(before);
        }),
        { numRuns: 40 },
      );
    });
  }
});
