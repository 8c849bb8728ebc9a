import { describe, expect, it } from "vitest";
import { authenticate, createToken, disableAuth, enableAuth, isOwnerSecret, revokeTokens, stillValid } from "../../src/room/auth";
import { edgeFacts } from "../../src/wire/edge";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const LOOPBACK = { loopback: true, owner: false };
const PUBLIC = { loopback: false, owner: false };

describe("who a request is, by where it came from and what it brought", () => {
  it("keeps a loopback room without auth open, and closes it to anyone off loopback without a credential", async () => {
    const db = memoryDb();
    expect(await authenticate(db, T0, null, LOOPBACK)).toEqual({ ok: true, caller: null });
    const refused = await authenticate(db, T0, null, PUBLIC);
    expect(refused).toMatchObject({ ok: false, status: 401, message: expect.stringContaining("MASC_ADMIN_SECRET") });
    expect(await authenticate(db, T0, "masc_secret_guess", PUBLIC)).toMatchObject({ ok: false });
  });

  it("refuses a bearer that matches nothing even in an open loopback room, and takes a valid one as its agent", async () => {
    const db = memoryDb();
    for (const bogus of ["masc_typo", "masc_secret_guess", `masc_${"a".repeat(12)}_${"b".repeat(43)}`]) {
      expect(await authenticate(db, T0, bogus, LOOPBACK), bogus).toMatchObject({ ok: false, status: 401 });
    }
    const { token } = await createToken(db, T0, "ann", "worker", 1);
    expect(await authenticate(db, T0, token, LOOPBACK)).toMatchObject({ ok: true, caller: { agent: "ann", role: "worker", via: "token" } });
    expect(await authenticate(db, T0, `${token}x`, LOOPBACK)).toMatchObject({ ok: false, status: 401 });
  });

  it("makes the owner an admin everywhere, and accepts tokens the owner minted before auth is on", async () => {
    const db = memoryDb();
    expect(await authenticate(db, T0, null, { loopback: false, owner: true })).toEqual({
      ok: true,
      caller: { agent: null, role: "admin", via: "owner" },
    });
    const { token } = await createToken(db, T0, "ann", "worker", 1);
    const auth = await authenticate(db, T0, token, PUBLIC);
    expect(auth).toMatchObject({ ok: true, caller: { agent: "ann", role: "worker", via: "token" } });
    if (auth.ok) expect(stillValid(db, T0, auth.caller)).toBe(true);
    revokeTokens(db, T0, "ann");
    if (auth.ok) expect(stillValid(db, T0, auth.caller)).toBe(false);
  });

  it("says which earlier credentials stay valid after auth changes", async () => {
    const db = memoryDb();
    expect(stillValid(db, T0, null)).toBe(true);
    await enableAuth(db, T0, false, null);
    expect(stillValid(db, T0, null)).toBe(false);
    expect(stillValid(db, T0, { agent: null, role: "reader", via: "anonymous" })).toBe(true);
    expect(stillValid(db, T0, { agent: null, role: "admin", via: "room_secret" })).toBe(true);
    disableAuth(db, T0, null);
    expect(stillValid(db, T0, { agent: null, role: "admin", via: "room_secret" })).toBe(false);
    expect(stillValid(db, T0, { agent: null, role: "admin", via: "owner" })).toBe(true);
  });

  it("reads edge facts only as the Worker sets them, and compares the owner secret exactly", async () => {
    const req = new Request("http://x/", { headers: { "x-masc-loopback": "1", "x-masc-owner": "yes" } });
    expect(edgeFacts(req)).toEqual({ loopback: true, owner: false });
    const owner = "a-long-owner-secret-0123";
    expect(await isOwnerSecret(owner, owner)).toBe(true);
    expect(await isOwnerSecret(owner, ` ${owner} `)).toBe(true);
    expect(await isOwnerSecret(owner.slice(0, -1), owner)).toBe(false);
    // A secret too short to guard every room counts as unset.
    expect(await isOwnerSecret("short", "short")).toBe(false);
    expect(await isOwnerSecret("", "")).toBe(false);
    expect(await isOwnerSecret("x", undefined)).toBe(false);
  });
});
