import { describe, expect, it } from "vitest";
import { CATEGORIES, type Category, categoriesFor, MODE_CATEGORIES, type Mode } from "../../src/mcp/modes";
import { TOOLS, toolsFor } from "../../src/mcp/registry";

/** What a tools/list reply costs a model every turn, estimated as characters / 4. */
const tokens = (categories: readonly Category[]) => Math.ceil(JSON.stringify({ tools: toolsFor(categories) }).length / 4);

/**
 * Budgets, in tokens. The rule: a category's budget is ~10% over what it measured when pinned;
 * raising one is a reviewed decision (and the README table is updated with it), never a reflex.
 */
const CATEGORY_BUDGET: Record<Category, number> = {
  core: 3000,
  comm: 1500,
  portal: 560,
  worktree: 480,
  health: 380,
  discovery: 720,
  voting: 640,
  interrupt: 780,
  cost: 420,
  auth: 880, // 730 before masc_auth_invite (OAuth sign-in invites)
  ratelimit: 340,
  encryption: 360,
};
const MODE_BUDGET: Record<Exclude<Mode, "custom">, number> = { full: 9800, parallel: 7100, standard: 5300, minimal: 3350, solo: 3450 };

describe("tool list token budget", () => {
  it("keeps every category within its budget", () => {
    const table = CATEGORIES.map((c) => ({ category: c, tools: toolsFor([c]).length, tokens: tokens([c]) }));
    console.table(table);
    for (const row of table) expect(row.tokens, row.category).toBeLessThanOrEqual(CATEGORY_BUDGET[row.category]);
  });

  it("keeps every mode within its budget, and standard well under full", () => {
    const table = Object.keys(MODE_BUDGET).map((m) => {
      const mode = m as keyof typeof MODE_BUDGET;
      return { mode, tools: toolsFor(categoriesFor(mode)).length, tokens: tokens(MODE_CATEGORIES[mode]) };
    });
    console.table(table);
    for (const row of table) expect(row.tokens, row.mode).toBeLessThanOrEqual(MODE_BUDGET[row.mode]);
    const byMode = new Map(table.map((r) => [r.mode, r.tokens]));
    expect(byMode.get("minimal")).toBeLessThan(byMode.get("standard") ?? 0);
    expect(byMode.get("standard")).toBeLessThan(byMode.get("full") ?? 0);
  });

  it("gives every tool a one-line description and annotations", () => {
    for (const tool of TOOLS) {
      expect(tool.description, tool.name).not.toContain("\n");
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(120);
      expect(typeof tool.annotations.readOnlyHint, tool.name).toBe("boolean");
    }
    expect(new Set(TOOLS.map((t) => t.name)).size).toBe(TOOLS.length);
  });
});
