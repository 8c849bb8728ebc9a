import { describe, expect, it } from "vitest";
import { disableAuth, enableAuth } from "../../src/room/auth";
import { createInvite, grantActive, ownerGrant, redeemInvite } from "../../src/room/oauth";
import { endGrant, listInvites, withdrawInvite, withdrawInvites } from "../../src/room/oauth-revoke";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 11, 1);
const MIN = 60_000;
const idOf = (invite: string) => /^masc_invite_([A-Za-z0-9_-]{12})_/.exec(invite)?.[1] ?? "";
const events = (db: ReturnType<typeof memoryDb>, kind: string) =>
  db.all<{ data: string }>("SELECT data FROM events WHERE kind = ? ORDER BY seq", kind).map((e) => JSON.parse(e.data));

describe("ending OAuth sign-ins and invites (room domain)", () => {
  it("endGrant ends a grant once, with its reason, and refuses a reason it does not know", () => {
    const db = memoryDb();
    const grant = ownerGrant(db, T0, "ann", "worker", "Claude");
    expect(endGrant(db, T0 + MIN, grant, "refresh_reused")).toBe(true);
    expect(endGrant(db, T0 + 2 * MIN, grant, "client_revoked")).toBe(false);
    expect(endGrant(db, T0, "no-such-grant", "grant_gone")).toBe(false);
    expect(grantActive(db, grant)).toBe(false);
    expect(events(db, "auth_oauth_revoked")).toEqual([{ agent: "ann", revoked: 1, reason: "refresh_reused" }]);
    const other = ownerGrant(db, T0, "bob", "worker", "Claude");
    expect(() => endGrant(db, T0, other, "because" as never)).toThrow(/reason must be one of/);
    expect(grantActive(db, other)).toBe(true);
  });

  it("an invite withdrawn, used or expired is listed as such and cannot be redeemed", async () => {
    const db = memoryDb();
    const pending = (await createInvite(db, T0, "ann", "worker", 60, null)).invite;
    const withdrawn = (await createInvite(db, T0, "ann", "reader", 60, null)).invite;
    const used = (await createInvite(db, T0, "ann", "worker", 60, null)).invite;
    const expired = (await createInvite(db, T0, "ann", "worker", 1, null)).invite;
    expect((await redeemInvite(db, T0, used, "x")).ok).toBe(true);
    expect(withdrawInvite(db, T0 + 2 * MIN, "ann", idOf(withdrawn))).toBe(1);
    expect(withdrawInvite(db, T0 + 2 * MIN, "ann", idOf(withdrawn))).toBe(0);
    expect(withdrawInvite(db, T0 + 2 * MIN, "ann", idOf(expired))).toBe(0);
    const states = Object.fromEntries(listInvites(db, T0 + 2 * MIN).map((i) => [i.id, i.state]));
    expect(states).toEqual({ [idOf(pending)]: "pending", [idOf(withdrawn)]: "revoked", [idOf(used)]: "used", [idOf(expired)]: "expired" });
    expect(await redeemInvite(db, T0 + 2 * MIN, withdrawn, "x")).toMatchObject({ ok: false, reason: expect.stringContaining("withdrawn") });
    expect(() => withdrawInvite(db, T0, "ann", idOf(used))).toThrow(/already used/);
    expect(() => withdrawInvite(db, T0, "bob", idOf(pending))).toThrow(/names no invite of bob/);
  });

  it("withdrawing an agent's invites leaves other agents' and used ones alone", async () => {
    const db = memoryDb();
    const ann = (await createInvite(db, T0, "ann", "worker", 60, null)).invite;
    const bob = (await createInvite(db, T0, "bob", "worker", 60, null)).invite;
    expect(withdrawInvites(db, T0, "ann")).toBe(1);
    expect(withdrawInvites(db, T0, "ann")).toBe(0);
    expect((await redeemInvite(db, T0, ann, "x")).ok).toBe(false);
    expect((await redeemInvite(db, T0, bob, "x")).ok).toBe(true);
  });

  it("disabling auth ends every grant and unused invite in one go; enabling again restores none", async () => {
    const db = memoryDb();
    await enableAuth(db, T0, true, null);
    const grants = [ownerGrant(db, T0, "ann", "worker", "x"), ownerGrant(db, T0, "bob", "admin", "y")];
    const invite = (await createInvite(db, T0, "cat", "worker", 60, null)).invite;
    expect(disableAuth(db, T0 + MIN, null)).toEqual({ tokens: 0, oauth: 2, invites: 1 });
    await enableAuth(db, T0 + 2 * MIN, true, null);
    for (const g of grants) expect(grantActive(db, g)).toBe(false);
    expect((await redeemInvite(db, T0 + 2 * MIN, invite, "x")).ok).toBe(false);
  });
});
