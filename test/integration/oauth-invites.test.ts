import { beforeAll, describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openConsent, signIn, submit } from "./oauth-flow";
import { oauthRoom } from "./oauth-room";

/** Issue 26, finding 3: invites are listed, can be withdrawn, and end with their agent. */
const ROOM = "oauth-invites";
const room = oauthRoom(ROOM);

/** What the consent page answers to this invite: its first step, then Approve's redirect error (if any). */
async function consentTo(invite: string): Promise<{ status: number; html: string; error: string | null }> {
  const started = await openConsent(room.clientId, ROOM);
  const shown = await submit(started, { invite, step: "continue" });
  const html = await shown.text();
  const approved = await submit(started, { invite, step: "approve" });
  return { status: shown.status, html, error: new URL(approved.headers.get("location") ?? "").searchParams.get("error") };
}

const idOf = (invite: string) => /^masc_invite_([A-Za-z0-9_-]{12})_/.exec(invite)?.[1] ?? "";

describe("OAuth invites: listed, withdrawn, ended with their agent", () => {
  beforeAll(room.setUp, 30_000);

  it("masc_auth_list shows each invite's id, agent, role, expiry and state, never its secret", async () => {
    const pending = await room.invite("ivy", "reader");
    const used = await room.invite("ida");
    await signIn(room.clientId, ROOM, used);
    const a = await room.admin();
    const listed = await call(a, "masc_auth_list");
    await a.close();
    expect(listed.json.invites).toContainEqual({
      id: idOf(pending),
      agent: "ivy",
      role: "reader",
      expires_at: expect.any(String),
      state: "pending",
    });
    expect(listed.json.invites).toContainEqual(expect.objectContaining({ id: idOf(used), agent: "ida", state: "used" }));
    for (const invite of [pending, used]) expect(listed.text).not.toContain(invite.slice(-43));
  });

  it("withdrawing one invite by id: the consent page refuses it; the agent's other invite still works", async () => {
    const withdrawn = await room.invite("ken");
    const kept = await room.invite("ken");
    const a = await room.admin();
    const out = await call(a, "masc_auth_revoke", { agent_name: "ken", invite_id: idOf(withdrawn) });
    expect(out.json).toEqual({ agent: "ken", invite_id: idOf(withdrawn), revoked_invites: 1 });
    const listed = (await call(a, "masc_auth_list")).json.invites as Array<{ id: string; state: string }>;
    await a.close();
    expect(listed.find((i) => i.id === idOf(withdrawn))?.state).toBe("revoked");
    expect(listed.find((i) => i.id === idOf(kept))?.state).toBe("pending");
    const refused = await consentTo(withdrawn);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("withdrawn by an admin");
    expect(refused.error).toBe("access_denied");
    expect((await signIn(room.clientId, ROOM, kept)).access_token).toBeTruthy();
  });

  it("revoking an agent ends its unused invites along with its tokens and sign-ins", async () => {
    const signedIn = await signIn(room.clientId, ROOM, await room.invite("lea"));
    const unused = await room.invite("lea");
    const other = await room.invite("lou");
    const a = await room.admin();
    const out = await call(a, "masc_auth_revoke", { agent_name: "lea" });
    await a.close();
    expect(out.json).toEqual({ agent: "lea", revoked: 0, revoked_oauth: 1, revoked_invites: 1 });
    expect(signedIn.access_token).toBeTruthy();
    expect((await consentTo(unused)).error).toBe("access_denied");
    // Another agent's invite is untouched.
    expect((await signIn(room.clientId, ROOM, other)).access_token).toBeTruthy();
  });

  it("refuses a bad, unknown, other agent's or used invite_id, naming the field, and changes nothing", async () => {
    const mine = await room.invite("max");
    const used = await room.invite("max");
    await signIn(room.clientId, ROOM, used);
    const a = await room.admin();
    const bad = await call(a, "masc_auth_revoke", { agent_name: "max", invite_id: "short" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("invite_id");
    const unknown = await call(a, "masc_auth_revoke", { agent_name: "max", invite_id: "AAAAAAAAAAAA" });
    expect(unknown.text).toMatch(/^not_found: invite_id AAAAAAAAAAAA names no invite of max/);
    const foreign = await call(a, "masc_auth_revoke", { agent_name: "someone", invite_id: idOf(mine) });
    expect(foreign.text).toMatch(/^not_found: invite_id .* names no invite of someone/);
    const spent = await call(a, "masc_auth_revoke", { agent_name: "max", invite_id: idOf(used) });
    expect(spent.text).toMatch(/^conflict: invite .* was already used/);
    const listed = (await call(a, "masc_auth_list")).json.invites as Array<{ id: string; state: string }>;
    await a.close();
    expect(listed.find((i) => i.id === idOf(mine))?.state).toBe("pending");
    expect((await signIn(room.clientId, ROOM, mine)).access_token).toBeTruthy();
  });

  it("a worker cannot list or withdraw invites", async () => {
    const a = await room.admin();
    const worker = (await call(a, "masc_auth_create_token", { agent_name: "wes", role: "worker" })).json.token;
    await a.close();
    const { client } = await connect(ROOM, "wes", { stream: false, token: worker });
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_auth_list")).text).toMatch(/^forbidden/);
    expect((await call(client, "masc_auth_revoke", { agent_name: "wes", invite_id: "AAAAAAAAAAAA" })).text).toMatch(/^forbidden/);
    await client.close();
  });
});
