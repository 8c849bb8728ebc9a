import { describe, expect, it } from "vitest";
import { runDueJobs } from "../../src/room/maintenance";
import {
  checkGrant,
  createInvite,
  inspectInvite,
  listGrants,
  ownerGrant,
  parseProps,
  redeemInvite,
  revokeGrants,
} from "../../src/room/oauth";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const MIN = 60_000;

describe("OAuth invites and grants (room domain)", () => {
  it("stores only the invite's hash, and an invite works once however many consents race for it", async () => {
    const db = memoryDb();
    const { invite, expires_at } = await createInvite(db, T0, "ann", "worker", 30, "boss");
    expect(expires_at).toBe(T0 + 30 * MIN);
    expect(JSON.stringify(db.all("SELECT * FROM oauth_invites"))).not.toContain(invite.split("_").at(-1));
    expect(await inspectInvite(db, T0 + MIN, invite)).toEqual({ ok: true, agent: "ann", role: "worker", expires_at });
    const results = await Promise.all([1, 2, 3].map(() => redeemInvite(db, T0 + MIN, invite, "Claude")));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ reason: expect.stringContaining("already used") });
    expect(listGrants(db)).toEqual([
      expect.objectContaining({ agent: "ann", role: "worker", client: "Claude", via: "invite", active: true }),
    ]);
    expect(await inspectInvite(db, T0 + MIN, invite)).toMatchObject({ ok: false, reason: expect.stringContaining("already used") });
  });

  it("refuses an expired, unknown or malformed invite and grants nothing", async () => {
    const db = memoryDb();
    const { invite } = await createInvite(db, T0, "ann", "reader", 1, null);
    expect(await redeemInvite(db, T0 + MIN, invite, "x")).toMatchObject({ ok: false, reason: expect.stringContaining("expired") });
    const forged = `${invite.slice(0, -4)}AAAA`;
    for (const code of [forged, "masc_invite_x", "", `${invite} extra`]) {
      expect(await redeemInvite(db, T0, code, "x")).toMatchObject({ ok: false, reason: expect.stringContaining("not valid") });
    }
    expect(listGrants(db)).toEqual([]);
  });

  it("checks a grant for its room, its agent and revocation; the row decides the role", () => {
    const db = memoryDb();
    const grant = ownerGrant(db, T0, "ops", "reader", "ChatGPT");
    const props = (over: Record<string, unknown> = {}) => JSON.stringify({ room: "r1", agent: "ops", role: "reader", grant, ...over });
    expect(checkGrant(db, "r1", props())).toEqual({ ok: true, agent: "ops", role: "reader", grant });
    expect(checkGrant(db, "r1", props({ role: "admin" }))).toMatchObject({ ok: true, role: "reader" });
    expect(checkGrant(db, "r2", props())).toMatchObject({ ok: false, message: expect.stringContaining("for room r1, not r2") });
    expect(checkGrant(db, "r1", props({ agent: "boss" }))).toMatchObject({ ok: false });
    expect(checkGrant(db, "r1", props({ grant: "nope" }))).toMatchObject({ ok: false });
    expect(checkGrant(db, "r1", "{not json")).toMatchObject({ ok: false });
    expect(parseProps(props({ role: "root" }))).toBeNull();
    expect(revokeGrants(db, T0, "ops")).toBe(1);
    expect(checkGrant(db, "r1", props())).toMatchObject({ ok: false, message: expect.stringContaining("revoked") });
    expect(revokeGrants(db, T0, "ops")).toBe(0);
  });

  it("the alarm drops invites once they expire, and keeps the grants they became", async () => {
    const db = memoryDb();
    const used = await createInvite(db, T0, "ann", "worker", 5, null);
    await redeemInvite(db, T0, used.invite, "Claude");
    await createInvite(db, T0, "bob", "worker", 60, null);
    const config = { zombieThresholdMs: 300_000, version: "test" };
    expect(runDueJobs(db, T0 + 10 * MIN, config)).toContain("oauth invites");
    expect(db.all<{ agent: string }>("SELECT agent FROM oauth_invites").map((r) => r.agent)).toEqual(["bob"]);
    expect(listGrants(db)).toHaveLength(1);
  });
});
