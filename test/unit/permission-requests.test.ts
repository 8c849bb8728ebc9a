import { describe, expect, it } from "vitest";
import { MascError } from "../../src/room/errors";
import { decidePermission, getPermission, MAX_OPEN_PER_AGENT, requestPermission, shownState } from "../../src/room/permission-requests";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 11, 7);
const LETTERS = "abcdefghijkmnopqrstuvwxyz";
const id = (n: number) => Array.from({ length: 5 }, (_, i) => LETTERS[Math.floor(n / LETTERS.length ** i) % LETTERS.length]).join("");
const ask = (n: number, over: Partial<Parameters<typeof requestPermission>[2]> = {}) => ({
  request_id: id(n),
  agent: "claude",
  channel: "chan-0001",
  tool_name: "Bash",
  description: "d",
  input_preview: "{}",
  ttl_s: 600,
  ...over,
});
const live = () => true;

describe("permission requests", () => {
  it("refuses an agent more than MAX_OPEN_PER_AGENT open prompts, storing nothing more; decided and expired ones do not count", () => {
    const db = memoryDb();
    for (let n = 0; n < MAX_OPEN_PER_AGENT; n++) requestPermission(db, T0, ask(n));
    const over = () => requestPermission(db, T0, ask(MAX_OPEN_PER_AGENT));
    expect(over).toThrow(MascError);
    expect(over).toThrow(/^claude has \d+ open permission requests, at most \d+; decide or let some expire$/);
    expect(getPermission(db, id(MAX_OPEN_PER_AGENT))).toBeUndefined();
    // Another agent is not held back by claude's.
    expect(requestPermission(db, T0, ask(MAX_OPEN_PER_AGENT + 1, { agent: "codex" })).state).toBe("pending");
    decidePermission(db, T0, id(0), "allow", { agent: "lead", authenticated: false }, live);
    expect(requestPermission(db, T0, ask(MAX_OPEN_PER_AGENT)).state).toBe("pending");
    // Ten minutes on, all of them expired: room again.
    expect(requestPermission(db, T0 + 601_000, ask(MAX_OPEN_PER_AGENT + 2)).state).toBe("pending");
  });

  it("forgets finished requests a day after they expired, when the next one arrives", () => {
    const db = memoryDb();
    requestPermission(db, T0, ask(1));
    requestPermission(db, T0, ask(2));
    decidePermission(db, T0, id(2), "deny", { agent: "lead", authenticated: false }, live);
    requestPermission(db, T0 + 600_000 + 86_400_000 + 1, ask(3));
    expect(getPermission(db, id(1))).toBeUndefined();
    expect(getPermission(db, id(2))).toBeUndefined();
    expect(getPermission(db, id(3))).toBeDefined();
  });

  it("shows expiry before abandonment, and a decision over both", () => {
    const db = memoryDb();
    const r = requestPermission(db, T0, ask(1, { ttl_s: 1 }));
    expect(shownState(r, T0, () => false)).toBe("abandoned");
    expect(shownState(r, T0 + 1000, () => false)).toBe("expired");
    expect(shownState(r, T0 + 999, live)).toBe("pending");
  });
});
