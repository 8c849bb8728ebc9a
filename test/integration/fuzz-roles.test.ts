import { exports } from "cloudflare:workers";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TOOLS } from "../../src/mcp/registry";
import { type Role, requiredRole } from "../../src/room/permissions";
import { call, connect } from "./mcp";
import { openSocket, type TestSocket } from "./ws";

const ROOM = "fuzz-roles";
const AGENTS = ["ann", "dave", "carol", "boss"];
/** Tools that would end the run for everyone (auth off, tokens gone, hidden tools); admins skip them. */
const DISRUPTIVE = new Set([
  "masc_auth_enable",
  "masc_auth_disable",
  "masc_auth_revoke",
  "masc_auth_refresh",
  "masc_encryption_enable",
  "masc_encryption_disable",
  "masc_switch_mode",
  "masc_pause",
]);

interface Actor {
  name: string;
  role: Role | "anonymous";
  agent: string | null;
  client: Client;
}

const actors: Actor[] = [];
const sockets: Array<{ name: string; agent: string | null; kind: "dashboard" | "client"; role: Role | "anonymous"; s: TestSocket }> = [];
const tokens: Record<string, string> = {};
let secret = "";

/** Plausible values for the fields tools share; anything else is left out (and may be refused). */
const FIELD: Record<string, fc.Arbitrary<unknown>> = {
  agent_name: fc.constantFrom(...AGENTS),
  target_agent: fc.constantFrom(...AGENTS),
  proposer: fc.constantFrom(...AGENTS),
  message: fc.constantFrom("hello room", "@ann secret for ann", "@dave secret for dave", "@carol note", "@all everyone"),
  initial_message: fc.constantFrom("private hello", "@dave in a portal"),
  title: fc.constant("a task"),
  task_id: fc.constantFrom("task-001", "task-002"),
  file: fc.constantFrom("src/a.ts", "src/b.ts"),
  timeout: fc.constant(0),
  role: fc.constantFrom("reader", "worker", "admin"),
  enabled: fc.boolean(),
  general: fc.integer({ min: 1, max: 100 }),
};

const callSpec = fc
  .record({ actor: fc.nat(), tool: fc.constantFrom(...TOOLS) })
  .chain(({ actor, tool }) =>
    fc
      .record(Object.fromEntries(Object.keys(tool.input).flatMap((k) => (FIELD[k] ? [[k, FIELD[k]]] : []))), { requiredKeys: [] })
      .map((args) => ({ actor, tool: tool.name, args: args as Record<string, unknown> })),
  );

/**
 * What each role may call, written out here and reviewed by hand rather than read from the
 * server's permission table, so a wrong entry there fails this test. Each role may also call
 * everything the roles before it may.
 */
const READER = [
  // Reading the room, joining and leaving, this session's own settings.
  "masc_status",
  "masc_tasks",
  "masc_task_history",
  "masc_archive_view",
  "masc_pause_status",
  "masc_get_config",
  "masc_switch_mode",
  "masc_join",
  "masc_leave",
  "masc_heartbeat",
  "masc_agents",
  "masc_messages",
  "masc_search",
  "masc_listen",
  "masc_who",
  "masc_locks",
  "masc_portal_status",
  "masc_find_by_capability",
  "masc_a2a_discover",
  "masc_get_metrics",
  "masc_vote_status",
  "masc_votes",
  "masc_pending_interrupts",
  "masc_cost_report",
  "masc_budget_status",
  "masc_auth_status",
  "masc_rate_limit_status",
  "masc_rate_limit_config",
  "masc_encryption_status",
];
const WORKER = [
  // Doing work: tasks, talking, locks, portals, worktrees (their list answers with a machine's
  // paths), votes, asking for approval, logging cost, refreshing one's own token.
  "masc_add_task",
  "masc_batch_add_tasks",
  "masc_claim",
  "masc_claim_next",
  "masc_transition",
  "masc_release",
  "masc_done",
  "masc_cancel_task",
  "masc_update_priority",
  "masc_task_deps",
  "masc_broadcast",
  "masc_progress",
  "masc_lock",
  "masc_unlock",
  "masc_portal_open",
  "masc_portal_send",
  "masc_portal_close",
  "masc_register_capabilities",
  "masc_agent_update",
  "masc_worktree_create",
  "masc_worktree_remove",
  "masc_worktree_list",
  "masc_vote_create",
  "masc_vote_cast",
  "masc_interrupt",
  "masc_branch",
  "masc_cost_log",
  "masc_auth_refresh",
];
const ADMIN = [
  // Running the room: lifecycle, decisions that need a human, security settings.
  "masc_init",
  "masc_pause",
  "masc_resume",
  "masc_gc",
  "masc_cleanup_zombies",
  "masc_approve",
  "masc_reject",
  "masc_auth_enable",
  "masc_auth_disable",
  "masc_auth_create_token",
  "masc_auth_revoke",
  "masc_auth_list",
  "masc_auth_invite",
  "masc_encryption_enable",
  "masc_encryption_disable",
  "masc_generate_key",
  "masc_budget_set",
];
const MAY: Record<Role, ReadonlySet<string>> = {
  reader: new Set(READER),
  worker: new Set([...READER, ...WORKER]),
  admin: new Set([...READER, ...WORKER, ...ADMIN]),
};

function mayCall(actor: Actor, tool: string, args: Record<string, unknown>): boolean {
  // Without a token in a room that does not require one, a caller is a reader.
  const role: Role = actor.role === "anonymous" ? "reader" : actor.role;
  if (!MAY[role].has(tool)) return false;
  // Anyone may read the rate limits; changing them (any field but agent_name) is for admins.
  if (tool === "masc_rate_limit_config" && Object.keys(args).some((k) => k !== "agent_name") && role !== "admin") return false;
  return true;
}

/** Per actor: calls made, calls that succeeded and calls refused for its role, over every run. */
const tally = new Map<string, { calls: number; ok: number; refused: number }>();
/**
 * A run where nearly everything is refused proves nothing about who may do what. About a fifth
 * succeed (random tools, random subsets of their fields); a tenth is well below a fluke.
 */
const MIN_SUCCESS_SHARE = 0.1;

type Ev = { kind: string; actor: string | null; target: string | null; body: string | null; data: { mentions?: string[] } };

/** Whether an event reached a socket that may see it, by the rules stated plainly (not the room's code). */
function allowed(sock: (typeof sockets)[number], e: Ev): boolean {
  if (sock.role === "admin") return true;
  const me = sock.agent;
  const mentions = e.data.mentions ?? (e.target ? [e.target] : []);
  const aimed = e.target !== null && e.target !== "@all";
  if (e.kind === "portal_message" && e.actor !== me && e.target !== me) return false;
  if (
    (sock.role === "reader" || sock.role === "anonymous") &&
    e.kind === "broadcast" &&
    aimed &&
    e.actor !== me &&
    !mentions.includes(me ?? "")
  )
    return false;
  if (sock.kind === "client" && aimed && !mentions.includes("@all") && !mentions.includes(me ?? "") && e.target !== me) return false;
  return true;
}

describe("fuzz: random tool calls by every role", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of AGENTS) await call(client, "masc_join", { agent_name: a });
    secret = (await call(client, "masc_auth_enable", { require_token: false })).json.room_secret;
    const { client: admin } = await connect(ROOM, "admin", { stream: false, token: secret });
    await call(admin, "masc_switch_mode", { mode: "full" });
    await call(admin, "masc_rate_limit_config", { enabled: false });
    await call(admin, "masc_add_task", { title: "seed" });
    for (const [agent, role] of [
      ["ann", "worker"],
      ["dave", "worker"],
      ["carol", "reader"],
      ["boss", "admin"],
    ] as const)
      tokens[agent] = (await call(admin, "masc_auth_create_token", { agent_name: agent, role })).json.token;
    const { client: other } = await connect("fuzz-roles-other", "other", { stream: false });
    await call(other, "masc_switch_mode", { mode: "full" });
    tokens.otherRoom = (await call(other, "masc_auth_create_token", { agent_name: "ann", role: "admin" })).json.token;
    await other.close();

    for (const [name, role, agent, token] of [
      ["anonymous", "anonymous", null, undefined],
      ["carol", "reader", "carol", tokens.carol],
      ["ann", "worker", "ann", tokens.ann],
      ["dave", "worker", "dave", tokens.dave],
      ["boss", "admin", "boss", tokens.boss],
    ] as const) {
      const { client: c } = await connect(ROOM, name, { stream: false, token });
      await call(c, "masc_switch_mode", { mode: "full" });
      actors.push({ name, role, agent, client: c });
    }
    for (const [name, role, agent, token, kind] of [
      ["anonymous dashboard", "anonymous", null, "", "dashboard"],
      ["reader dashboard", "reader", "carol", tokens.carol, "dashboard"],
      ["worker dashboard", "worker", "dave", tokens.dave, "dashboard"],
      ["worker feed", "worker", "dave", tokens.dave, "client"],
      ["reader feed", "reader", "carol", tokens.carol, "client"],
    ] as const) {
      const q = `kind=${kind}${token ? `&token=${token}` : ""}${kind === "client" && agent ? `&agent=${agent}` : ""}`;
      const s = await openSocket(`/r/${ROOM}/ws?${q}`);
      await s.next((f) => f.type === "welcome");
      sockets.push({ name, agent, kind, role, s });
    }
    await admin.close();
    await client.close().catch(() => undefined);
  }, 60_000);

  it("has every registered tool in the reviewed table, in one role's list only", () => {
    const listed = [...READER, ...WORKER, ...ADMIN];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(TOOLS.map((t) => t.name).sort());
  });

  it("enforces the reviewed table: the server's weakest role for each tool is the one listed here", () => {
    const listedRole = (tool: string): Role => (READER.includes(tool) ? "reader" : WORKER.includes(tool) ? "worker" : "admin");
    const differ = TOOLS.filter((t) => requiredRole(t.name) !== listedRole(t.name)).map(
      (t) => `${t.name}: server ${requiredRole(t.name)}, reviewed ${listedRole(t.name)}`,
    );
    expect(differ).toEqual([]);
  });

  it("refuses a token of another room or a wrong one before anything runs", async () => {
    for (const token of [tokens.otherRoom, "masc_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"]) {
      const res = await exports.default.fetch(`http://localhost/r/${ROOM}/mcp`, {
        method: "POST",
        headers: { accept: "application/json, text/event-stream", "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } },
        }),
      });
      expect(res.status).toBe(401);
      await res.text();
    }
  });

  it("no call succeeds outside its caller's role, and no event reaches a socket not allowed to see it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callSpec, { minLength: 20, maxLength: 40 }), async (calls) => {
        for (const spec of calls) {
          const actor = actors[spec.actor % actors.length] as Actor;
          if (actor.role === "admin" && DISRUPTIVE.has(spec.tool)) continue;
          if (actor.role !== "admin" && (spec.tool === "masc_switch_mode" || spec.tool === "masc_auth_refresh")) continue;
          // masc_listen waits 30 s by default when timeout is left out; the fuzz must never wait.
          if (spec.tool === "masc_listen") spec.args.timeout = 0;
          const reply = await call(actor.client, spec.tool, spec.args);
          const may = mayCall(actor, spec.tool, spec.args);
          const what = `${actor.name} ${spec.tool} ${JSON.stringify(spec.args)}: ${reply.text}`;
          const t = tally.get(actor.name) ?? { calls: 0, ok: 0, refused: 0 };
          tally.set(actor.name, t);
          t.calls++;
          // Refused for its role though the table allows it: the server is stricter than reviewed.
          if (may) expect(reply.text, what).not.toMatch(/needs role/);
          else {
            expect(reply.isError, what).toBe(true);
            t.refused++;
          }
          if (!reply.isError) {
            t.ok++;
            expect(may, what).toBe(true);
            const named = spec.args.agent_name;
            if (actor.role !== "admin" && typeof named === "string" && !spec.tool.startsWith("masc_auth_"))
              expect(named, `${actor.name} acted as ${named} via ${spec.tool}`).toBe(actor.agent);
          }
        }
      }),
      { numRuns: 8 },
    );
    const all = [...tally.values()].reduce((a, t) => ({ calls: a.calls + t.calls, ok: a.ok + t.ok }), { calls: 0, ok: 0 });
    expect(all.ok / all.calls, `${all.ok} of ${all.calls} calls succeeded`).toBeGreaterThanOrEqual(MIN_SUCCESS_SHARE);
    // Both sides of the table ran for every actor: something succeeded, and below admin something was refused.
    for (const a of actors) {
      const t = tally.get(a.name);
      expect(t?.ok, `${a.name}: ${JSON.stringify(t)}`).toBeGreaterThan(0);
      if (a.role !== "admin") expect(t?.refused, `${a.name}: ${JSON.stringify(t)}`).toBeGreaterThan(0);
    }
    const boss = actors.find((a) => a.role === "admin") as Actor;
    // A random call may have made boss leave or paused the room; undo both before the sentinel.
    await call(boss.client, "masc_resume");
    await call(boss.client, "masc_join", { agent_name: "boss" });
    const sentinel = await call(boss.client, "masc_broadcast", { agent_name: "boss", message: "sentinel" });
    expect(sentinel.isError, sentinel.text).toBe(false);
    for (const sock of sockets) {
      await sock.s.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sentinel.json.seq);
      const events = sock.s.frames.filter((f) => f.type === "event").map((f) => f.event as Ev);
      expect(events.length, sock.name).toBeGreaterThan(0);
      for (const e of events) expect(allowed(sock, e), `${sock.name} got ${JSON.stringify(e)}`).toBe(true);
    }
    for (const sock of sockets) sock.s.ws.close();
    for (const a of actors) await a.client.close().catch(() => undefined);
  });
});
