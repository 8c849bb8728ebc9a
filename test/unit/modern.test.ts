import { describe, expect, it } from "vitest";
import { decisionOf, mayAnswerInClient, raisedOf } from "../../src/mcp/approvals";
import { categoriesFor, modeOfUrl } from "../../src/mcp/modes";
import { listedTool, listFor, TOOLS_BY_NAME } from "../../src/mcp/registry";

describe("modes by URL", () => {
  it("reads the mode from the query, defaults to standard, and names the allowed values", () => {
    expect(modeOfUrl("http://x/r/a/mcp")).toEqual({ mode: "standard" });
    expect(modeOfUrl("http://x/r/a/mcp?mode=minimal")).toEqual({ mode: "minimal" });
    expect(modeOfUrl("http://x/r/a/mcp?mode=custom")).toEqual({
      error: "mode: 'custom' is not a mode; use one of full, parallel, standard, minimal, solo",
    });
  });

  it("lists the same objects every time for a mode, so a cached list stays true", () => {
    expect(listFor("minimal", categoriesFor("minimal"))).toBe(listFor("minimal", categoriesFor("minimal")));
    expect(listFor("standard", categoriesFor("standard")).map((t) => t.name)).toContain("masc_interrupt");
  });

  it("keeps enums, defaults and required fields in the listed schema, not bounds or patterns", () => {
    const tool = TOOLS_BY_NAME.get("masc_transition");
    if (!tool) throw new Error("masc_transition");
    const schema = listedTool(tool).inputSchema as unknown as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.properties.action?.enum).toEqual(["claim", "start", "done", "cancel", "release"]);
    expect(schema.required).toEqual(["agent_name", "task_id", "action"]);
    expect(schema.properties.agent_name).toEqual({ type: "string", description: "Your agent name" });
  });
});

describe("approvals in the client", () => {
  it("reads a decision only from a well-formed answer", () => {
    expect(decisionOf({ decision: "approve" })).toEqual({ decision: "approved", reason: null });
    expect(decisionOf({ decision: "reject", reason: "no" })).toEqual({ decision: "rejected", reason: "no" });
    for (const bad of [null, "approve", { decision: "yes" }, { decision: ["approve"] }, {}]) expect(decisionOf(bad)).toBeNull();
  });

  it("finds the raised checkpoint in masc_interrupt's result, nothing in anything else", () => {
    const text = JSON.stringify({ checkpoint: { id: 3, task_id: "t", agent: "claude", action: "rm", message: "ok?" } });
    expect(raisedOf(text)).toEqual({ task_id: "t", checkpoint: 3, agent: "claude", action: "rm", message: "ok?" });
    expect(raisedOf("conflict: task t already waits")).toBeUndefined();
    expect(raisedOf(JSON.stringify({ checkpoint: null }))).toBeUndefined();
  });

  it("asks in the client only a caller that may approve", () => {
    expect(mayAnswerInClient(null)).toBe(true);
    expect(mayAnswerInClient({ agent: "boss", role: "admin", via: "token" })).toBe(true);
    expect(mayAnswerInClient({ agent: "claude", role: "worker", via: "token" })).toBe(false);
    expect(mayAnswerInClient({ agent: "r", role: "reader", via: "token" })).toBe(false);
  });
});
