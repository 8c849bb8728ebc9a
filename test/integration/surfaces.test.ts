import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_HOURS } from "../../src/dashboard/charts";
import { call, connect, mintTokens } from "./mcp";

interface WhoAmI {
  acts_as: string;
  can: { act: string[]; decide: boolean; force: boolean };
}

const get = (path: string, token?: string) =>
  exports.default.fetch(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: "manual" });

describe("masc_init", () => {
  it("initializes a room once, joins the named agent, and answers the same after", async () => {
    const { client } = await connect("init-room", "a", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const first = await call(client, "masc_init", { agent_name: "claude" });
    expect(first.isError, first.text).toBe(false);
    expect(first.json).toMatchObject({ room: "init-room", initialized: true, created: true, lock_case: "fold" });
    const again = await call(client, "masc_init", {});
    expect(again.json).toMatchObject({ created: false, initialized_at: first.json.initialized_at });
    expect((await call(client, "masc_agents")).json.agents.map((a: { name: string }) => a.name)).toEqual(["claude"]);
    const logged = await runInDurableObject(env.ROOM.getByName("init-room"), (_i, state) =>
      state.storage.sql.exec<{ actor: string }>("SELECT actor FROM events WHERE kind = 'room_initialized'").toArray(),
    );
    expect(logged).toEqual([{ actor: "claude" }]);
    await client.close();
  });

  it("sets lock_case, and refuses a value it does not know naming the field, changing nothing", async () => {
    const { client } = await connect("init-case", "a", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_init", { lock_case: "exact" })).json.lock_case).toBe("exact");
    const bad = await call(client, "masc_init", { lock_case: "upper" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/lock_case/);
    expect(bad.text).toMatch(/fold.*exact|exact.*fold/);
    expect((await call(client, "masc_init", {})).json.lock_case).toBe("exact");
    await client.close();
  });
});

describe("masc_auth_disable", () => {
  it("turns auth off for an admin: the room is open again and every token is revoked", async () => {
    const room = "auth-off";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    const tokens = await mintTokens(room, secret, { lead: "admin", claude: "worker" });
    const { client: lead } = await connect(room, "lead", { stream: false, token: tokens.lead });
    await call(lead, "masc_switch_mode", { mode: "full" });
    const off = await call(lead, "masc_auth_disable");
    expect(off.isError, off.text).toBe(false);
    // Two room tokens; no OAuth sign-in or invite was made here.
    expect(off.json).toEqual({ enabled: false, revoked: { tokens: 2, oauth: 0, invites: 0 } });
    await lead.close();

    // Without a token, anyone is in again, and the tokens minted before are gone.
    const { client: anyone } = await connect(room, "anyone", { stream: false });
    await call(anyone, "masc_switch_mode", { mode: "full" });
    expect((await call(anyone, "masc_auth_status")).json).toMatchObject({ enabled: false });
    const listed = (await call(anyone, "masc_auth_list")).json.tokens as Array<{ agent: string; revoked: boolean; active: boolean }>;
    expect(listed.map((t) => [t.agent, t.revoked, t.active]).sort()).toEqual([
      ["claude", true, false],
      ["lead", true, false],
    ]);
    expect((await call(anyone, "masc_join", { agent_name: "gemini" })).isError).toBe(false);
    await anyone.close();
  });
});

describe("HTTP edges", () => {
  it("refuses a body over 4 MiB with 413, before it reaches a room", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(4 * 1024 * 1024) } });
    const res = await exports.default.fetch("http://localhost/r/big-body/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "payload_too_large", message: `body over ${4 * 1024 * 1024} bytes` });
  });

  it("redirects /r/<room> to the room's dashboard at /r/<room>/", async () => {
    const res = await get("/r/my%20room");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/r/my%20room/");
    await res.arrayBuffer();
    const page = await get("/r/my%20room/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    await page.arrayBuffer();
  });
});

describe("the dashboard's API", () => {
  it("says who the page acts as and what it may do, per caller", async () => {
    const room = "whoami";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await call(client, "masc_join", { agent_name: "x" });
    await client.close();
    const open = (await (await get(`/r/${room}/api/whoami?as=lead`)).json()) as WhoAmI;
    expect(open).toMatchObject({ room, auth: false, agent: null, acts_as: "lead", chooses_name: true, role: "admin", via: "open" });
    expect(open.can).toMatchObject({ decide: true, force: true });
    expect(open.can.act.length).toBeGreaterThan(0);
    expect(((await (await get(`/r/${room}/api/whoami`)).json()) as WhoAmI).acts_as).toBe("human");

    const bad = await get(`/r/${room}/api/whoami?as=${encodeURIComponent("not a name")}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_input", message: "as must be 1-64 characters of letters, digits, '-' or '_'" });
  });

  it("says a token's agent and role, which the page cannot change", async () => {
    const room = "whoami-auth";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    const secret = (await call(client, "masc_auth_enable")).json.room_secret as string;
    await client.close();
    const tokens = await mintTokens(room, secret, { claude: "worker", viewer: "reader" });
    const worker = (await (await get(`/r/${room}/api/whoami?as=someone-else`, tokens.claude)).json()) as WhoAmI;
    expect(worker).toMatchObject({ auth: true, agent: "claude", acts_as: "claude", chooses_name: false, role: "worker" });
    expect(worker.can).toMatchObject({ decide: false, force: false });
    expect(worker.can.act.length).toBeGreaterThan(0);
    const reader = await (await get(`/r/${room}/api/whoami`, tokens.viewer)).json();
    expect(reader).toMatchObject({ agent: "viewer", role: "reader", can: { act: [], decide: false, force: false } });
  });

  it("draws charts over 1 to MAX_HOURS hours and refuses anything else naming hours", async () => {
    const room = "charts-bounds";
    const { client } = await connect(room, "setup", { stream: false });
    await call(client, "masc_join", { agent_name: "x" });
    await client.close();
    for (const hours of ["1", String(MAX_HOURS)]) {
      const res = await get(`/r/${room}/api/charts?hours=${hours}`);
      expect(res.status, hours).toBe(200);
      expect(Object.keys(await res.json()).length, hours).toBeGreaterThan(0);
    }
    for (const hours of ["0", String(MAX_HOURS + 1), "1.5", "-3", "abc", ""]) {
      const res = await get(`/r/${room}/api/charts?hours=${hours}`);
      expect(res.status, hours).toBe(400);
      expect(await res.json(), hours).toEqual({ error: "invalid_input", message: `hours must be 1-${MAX_HOURS}` });
    }
  });
});
