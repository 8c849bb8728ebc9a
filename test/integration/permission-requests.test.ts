import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect, mintTokens } from "./mcp";
import { openSocket } from "./ws";

/** What `masc-agent channel` posts for a Claude Code permission prompt. */
function relay(room: string, body: Record<string, unknown>, token?: string) {
  return exports.default.fetch(`http://localhost/r/${room}/api/permission-request`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

const prompt = (over: Record<string, unknown> = {}) => ({
  agent: "claude",
  channel: "chan-claude-1",
  request_id: "abcde",
  tool_name: "Bash",
  description: "List the files",
  input_preview: '{"command":"ls -la"}',
  ...over,
});

/** The channel's own socket: while it is open, its requests are pending rather than abandoned. */
const channelSocket = (room: string, agent: string, channel: string, token?: string) =>
  openSocket(`/r/${room}/ws?kind=client&agent=${agent}&channel=${channel}${token ? `&token=${token}` : ""}`);

describe("Claude Code permission prompts as room approvals", () => {
  it("lists a relayed prompt beside interrupts, allows it once, and tells the requesting agent's feed", async () => {
    const room = "perm-open";
    const feed = await channelSocket(room, "claude", "chan-claude-1");
    const res = await relay(room, prompt());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { request: object }).request).toMatchObject({ request_id: "abcde", state: "pending" });
    await feed.next((f) => (f.event as { kind?: string } | undefined)?.kind === "permission_requested");

    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });
    const listed = await call(human, "masc_pending_interrupts");
    expect(listed.json.permission_pending).toBe(1);
    expect(listed.json.permission_requests[0]).toMatchObject({
      request_id: "abcde",
      agent: "claude",
      tool_name: "Bash",
      description: "List the files",
      input_preview: '{"command":"ls -la"}',
      state: "pending",
    });

    const allowed = await call(human, "masc_approve", { request_id: "abcde" });
    expect(allowed.json).toMatchObject({ allowed: "abcde", request: { state: "allowed" } });
    const verdict = await feed.next((f) => (f.event as { kind?: string } | undefined)?.kind === "permission_allowed");
    expect(verdict.event).toMatchObject({ target: "claude", data: { request_id: "abcde", channel: "chan-claude-1", behavior: "allow" } });
    expect((await call(human, "masc_reject", { request_id: "abcde" })).text).toMatch(/^already_decided: .*already allowed/);

    // Denied the same way; a second prompt of the same channel.
    await relay(room, prompt({ request_id: "fghij" }));
    expect((await call(human, "masc_reject", { request_id: "fghij" })).json).toMatchObject({
      denied: "fghij",
      request: { state: "denied" },
    });
    await feed.next(
      (f) =>
        (f.event as { data?: { request_id?: string } } | undefined)?.data?.request_id === "fghij" &&
        (f.event as { kind: string }).kind === "permission_denied",
    );
    feed.ws.close();
    await human.close();
  });

  it("shows undecided prompts as expired, and those of a channel that went away as abandoned; neither can be decided", async () => {
    const room = "perm-stale";
    const feed = await channelSocket(room, "claude", "chan-claude-2");
    await relay(room, prompt({ channel: "chan-claude-2", request_id: "qrstu", ttl_s: 1 }));
    await relay(room, prompt({ channel: "chan-gone-000", request_id: "vwxyz" }));
    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });
    const states = async () =>
      Object.fromEntries(
        (await call(human, "masc_pending_interrupts")).json.permission_requests.map((r: { request_id: string; state: string }) => [
          r.request_id,
          r.state,
        ]),
      );
    expect((await states()).vwxyz).toBe("abandoned");
    for (let i = 0; i < 100 && (await states()).qrstu !== "expired"; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await states()).toEqual({ qrstu: "expired", vwxyz: "abandoned" });
    expect((await call(human, "masc_approve", { request_id: "qrstu" })).text).toMatch(/^already_decided: .*expired undecided/);
    expect((await call(human, "masc_approve", { request_id: "vwxyz" })).text).toMatch(/^already_decided: .*abandoned/);
    feed.ws.close();
    await human.close();
  });

  it("tells dashboards to redraw when a channel with an open prompt loses its last socket, and nobody else", async () => {
    const room = "perm-gone";
    const dash = await openSocket(`/r/${room}/ws?kind=dashboard`);
    const agent = await openSocket(`/r/${room}/ws?kind=client&agent=codex`);
    const first = await channelSocket(room, "claude", "chan-twice-01");
    const second = await channelSocket(room, "claude", "chan-twice-01");
    const idle = await channelSocket(room, "gemini", "chan-idle-001");
    await relay(room, prompt({ channel: "chan-twice-01", request_id: "kmnop" }));
    await dash.next((f) => (f.event as { kind?: string } | undefined)?.kind === "permission_requested");
    const changed = (s: { frames: Array<Record<string, unknown>> }) => s.frames.filter((f) => f.type === "changed");
    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });
    /** The room has let go of the closed sockets: down to `n` open ones. */
    const down = async (n: number) => {
      for (let i = 0; i < 100 && (await call(human, "masc_who")).json.sockets.length !== n; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await call(human, "masc_who")).json.sockets).toHaveLength(n);
    };
    // A channel with nothing open, and one that keeps a socket: nothing shown changes.
    idle.ws.close();
    first.ws.close();
    await down(3);
    expect(changed(dash)).toEqual([]);
    second.ws.close();
    expect(await dash.next((f) => f.type === "changed")).toEqual({ type: "changed", what: "permission_requests" });
    expect(changed(dash)).toHaveLength(1);
    expect(changed(agent)).toEqual([]);
    dash.ws.close();
    agent.ws.close();
    await human.close();
  });

  it("refuses bad input naming the field, and masc_approve without exactly one id, changing nothing", async () => {
    const room = "perm-bad";
    for (const [over, field] of [
      [{ request_id: "abcdl" }, "request_id"],
      [{ request_id: "ABCDE" }, "request_id"],
      [{ agent: "-x" }, "agent"],
      [{ channel: "short" }, "channel"],
      [{ tool_name: "" }, "tool_name"],
      [{ input_preview: "x".repeat(1001) }, "input_preview"],
      [{ ttl_s: 0 }, "ttl_s"],
    ] as const) {
      const res = await relay(room, prompt(over));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(new RegExp(`^${field} `));
    }
    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });
    expect((await call(human, "masc_pending_interrupts")).json.permission_requests).toEqual([]);
    expect((await call(human, "masc_approve", {})).text).toMatch(/^invalid_input: task_id or request_id is required/);
    expect((await call(human, "masc_approve", { task_id: "t1", request_id: "abcde" })).text).toMatch(/^invalid_input: .*not both/);
    expect((await call(human, "masc_reject", { request_id: "abcdl" })).isError).toBe(true);
    await human.close();
  });

  it("with auth on: only admins decide, never the requesting agent itself, and only the agent's own credential relays", async () => {
    const room = "perm-auth";
    const { client: owner } = await connect(room, "owner", { stream: false });
    await call(owner, "masc_switch_mode", { mode: "full" });
    const secret = (await call(owner, "masc_auth_enable", { require_token: true })).json.room_secret;
    await owner.close();
    const tokens = await mintTokens(room, secret, { claude: "admin", codex: "worker", lead: "admin" });
    const feed = await channelSocket(room, "claude", "chan-claude-3", tokens.claude);

    const forged = await relay(room, prompt({ channel: "chan-claude-3" }), tokens.codex);
    expect(forged.status).toBe(403);
    expect(((await relay(room, prompt({ channel: "chan-claude-3" }))) as Response).status).toBe(401);
    expect((await relay(room, prompt({ channel: "chan-claude-3" }), tokens.claude)).status).toBe(200);

    const { client: self } = await connect(room, "self", { stream: false, token: tokens.claude });
    await call(self, "masc_switch_mode", { mode: "full" });
    expect((await call(self, "masc_approve", { request_id: "abcde" })).text).toMatch(/^forbidden: claude cannot decide its own/);
    const { client: worker } = await connect(room, "worker", { stream: false, token: tokens.codex });
    await call(worker, "masc_switch_mode", { mode: "full" });
    expect((await call(worker, "masc_approve", { request_id: "abcde" })).text).toMatch(/^forbidden: /);
    const { client: lead } = await connect(room, "lead", { stream: false, token: tokens.lead });
    await call(lead, "masc_switch_mode", { mode: "full" });
    expect((await call(lead, "masc_pending_interrupts")).json.permission_requests[0]).toMatchObject({
      request_id: "abcde",
      state: "pending",
    });
    expect((await call(lead, "masc_approve", { request_id: "abcde" })).json.request).toMatchObject({
      state: "allowed",
      decided_by: "lead",
    });
    await feed.next((f) => (f.event as { kind?: string } | undefined)?.kind === "permission_allowed");
    feed.ws.close();
    await Promise.all([self.close(), worker.close(), lead.close()]);
  });

  it("keeps a prompt's description and preview sealed at rest with encryption on, before and after it was turned on", async () => {
    const room = "perm-sealed";
    const stored = () =>
      runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
        JSON.stringify(state.storage.sql.exec("SELECT * FROM permission_requests").toArray()),
      );
    const feed = await channelSocket(room, "claude", "chan-claude-4");
    await relay(room, prompt({ channel: "chan-claude-4", description: "read the zebra-ledger", input_preview: '{"file":"purple-otter"}' }));
    expect(await stored()).toContain("zebra-ledger");
    const { client: human } = await connect(room, "human", { stream: false });
    await call(human, "masc_switch_mode", { mode: "full" });
    expect((await call(human, "masc_encryption_enable")).json).toMatchObject({ enabled: true });
    await relay(
      room,
      prompt({ channel: "chan-claude-4", request_id: "fghij", description: "second zebra-ledger", input_preview: "purple-otter 2" }),
    );
    const sealed = await stored();
    for (const secret of ["zebra-ledger", "purple-otter"]) expect(sealed).not.toContain(secret);
    const listed = (await call(human, "masc_pending_interrupts")).json.permission_requests;
    expect(listed.map((r: { description: string }) => r.description).sort()).toEqual(["read the zebra-ledger", "second zebra-ledger"]);
    feed.ws.close();
    await human.close();
  });
});
