import { describe, expect, it } from "vitest";
import type { ToolContext } from "../../src/mcp/define";
import { TOOLS_BY_NAME } from "../../src/mcp/registry";
import { unreadHint } from "../../src/mcp/unread-hint";
import { join } from "../../src/room/agents";
import { leave } from "../../src/room/departures";
import { parseMentions } from "../../src/room/mentions";
import { broadcast, messagePage } from "../../src/room/messages";
import { openPortal, sendPortal } from "../../src/room/portals";
import type { Db } from "../../src/room/sql";
import { SEES_ALL } from "../../src/room/visibility";
import { recordingDb } from "../helpers/recording-db";

const T0 = Date.UTC(2026, 10, 1);

describe("the unread hint", () => {
  const tool = TOOLS_BY_NAME.get("masc_status");
  if (!tool) throw new Error("masc_status is registered");
  const hint = (db: Db, agent: string) => unreadHint(tool, { agent_name: agent }, { db } as unknown as ToolContext);

  it("recounts only after a message, an arrival or departure, or a read; other calls run no statement", () => {
    const { db, queries } = recordingDb();
    const statements = () => queries().length;
    for (const a of ["claude", "gemini", "codex"]) join(db, T0, a);
    broadcast(db, T0, "claude", "@gemini look", parseMentions("@gemini look"));
    expect(hint(db, "gemini")).toBe("[masc] 1 unread for gemini (1 mention) — masc_messages or masc_listen");
    const before = statements();
    expect(hint(db, "gemini")).toBe("[masc] 1 unread for gemini (1 mention) — masc_messages or masc_listen");
    expect(statements()).toBe(before);

    broadcast(db, T0, "codex", "hello room", []);
    expect(hint(db, "gemini")).toBe("[masc] 2 unread for gemini (1 mention) — masc_messages or masc_listen");
    expect(statements()).toBeGreaterThan(before);

    openPortal(db, T0, "claude", "gemini");
    sendPortal(db, T0, "claude", "psst");
    expect(hint(db, "gemini")).toBe("[masc] 3 unread for gemini (2 mentions) — masc_messages or masc_listen");

    messagePage(db, { since: 0, limit: 50, reader: "gemini", viewer: SEES_ALL });
    expect(hint(db, "gemini")).toBeNull();

    broadcast(db, T0, "claude", "after you read", []);
    expect(hint(db, "gemini")).toBe("[masc] 1 unread for gemini — masc_messages or masc_listen");
    leave(db, T0, "gemini");
    expect(hint(db, "gemini")).toBeNull();
  });
});
