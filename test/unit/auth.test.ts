import { describe, expect, it } from "vitest";
import { callTool } from "../../src/mcp/call";
import { TOOLS_BY_NAME } from "../../src/mcp/registry";
import { type Caller, createToken, enableAuth, identityOf } from "../../src/room/auth";
import { memoryDb } from "../helpers/node-db";
import { toolContext } from "../helpers/tool-context";

const T0 = Date.UTC(2026, 10, 1);
const refresh = TOOLS_BY_NAME.get("masc_auth_refresh");

describe("token refresh", () => {
  it("gives concurrent refreshes of one token exactly one new token", async () => {
    if (!refresh) throw new Error("masc_auth_refresh is not registered");
    const db = memoryDb();
    await enableAuth(db, T0, true, null);
    const { token } = await createToken(db, T0, "claude", "worker", 24);
    const caller: Caller = { agent: "claude", role: "worker", via: "token" };
    const results = await Promise.all(
      [1, 2, 3].map(() => callTool(refresh, { agent_name: "claude", token }, toolContext(db, T0 + 1000, caller))),
    );
    const won = results.filter((r) => !r.isError);
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.isError)) {
      expect(r.content[0]).toMatchObject({
        text: expect.stringMatching(/^unauthorized: that token of claude was (refreshed or )?revoked/),
      });
    }
    const live = db.all("SELECT id FROM tokens WHERE agent = 'claude' AND revoked_at IS NULL");
    expect(live).toHaveLength(1);
  });

  it("refuses to refresh another agent's token for a worker", async () => {
    if (!refresh) throw new Error("masc_auth_refresh is not registered");
    const db = memoryDb();
    await enableAuth(db, T0, true, null);
    const { token } = await createToken(db, T0, "gemini", "worker", 24);
    const caller: Caller = { agent: "claude", role: "worker", via: "token" };
    const r = await callTool(refresh, { agent_name: "gemini", token }, toolContext(db, T0 + 1000, caller));
    expect(r.isError).toBe(true);
    expect(db.all("SELECT id FROM tokens WHERE revoked_at IS NULL")).toHaveLength(1);
  });
});

describe("session identity", () => {
  it("ties a session to one agent's tokens, the room secret, or anonymous readers", () => {
    expect(identityOf(null)).toBeNull();
    expect(identityOf({ agent: "claude", role: "worker", via: "token" })).toBe("agent:claude");
    expect(identityOf({ agent: "claude", role: "admin", via: "token" })).toBe("agent:claude");
    expect(identityOf({ agent: null, role: "admin", via: "room_secret" })).toBe("room_secret");
    expect(identityOf({ agent: null, role: "reader", via: "anonymous" })).toBe("anonymous");
  });
});
