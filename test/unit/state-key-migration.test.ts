import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "../../src/room/schema";
import { memoryDb } from "../helpers/node-db";

/** A room that turned encryption on before the requestState key was sealed kept the key in the clear. */
const STEP = "request_state_key_unsealed_dropped";
const before = MIGRATIONS.filter((m) => m.name !== STEP);
const PLAIN_KEY = "ab".repeat(32);

function roomWith(meta: Record<string, string>) {
  const db = memoryDb(before);
  for (const [key, value] of Object.entries(meta)) db.run("INSERT INTO meta (key, value) VALUES (?, ?)", key, value);
  expect(migrate(db)).toBe(1);
  return db.one<{ value: string }>("SELECT value FROM meta WHERE key = 'request_state_key'")?.value;
}

describe("migration: an unsealed requestState key in an encrypted room", () => {
  it("is dropped (the next use makes a sealed one)", () => {
    expect(roomWith({ encryption_enabled: "1", request_state_key: PLAIN_KEY })).toBeUndefined();
  });

  it("is kept where encryption is off, and a sealed one is kept", () => {
    expect(roomWith({ encryption_enabled: "0", request_state_key: PLAIN_KEY })).toBe(PLAIN_KEY);
    expect(roomWith({ request_state_key: PLAIN_KEY })).toBe(PLAIN_KEY);
    expect(roomWith({ encryption_enabled: "1", request_state_key: 'enc:{"v":1}' })).toBe('enc:{"v":1}');
  });
});
