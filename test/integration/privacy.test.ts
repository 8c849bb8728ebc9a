import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, connect, mintTokens } from "./mcp";
import { openSocket, type TestSocket } from "./ws";

const ROOM = "privacy";
const SECRETS = ["dm-secret-body", "mention-secret-body"];
const tokens: Record<string, string> = {};
let roomSecret = "";
let sentinelSeq = 0;
const sockets: Record<string, TestSocket> = {};

const get = (path: string, token?: string) =>
  exports.default.fetch(`http://localhost/r/${ROOM}/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

const wsPath = (kind: string, token?: string, agent?: string, since?: number) =>
  `/r/${ROOM}/ws?kind=${kind}${token ? `&token=${token}` : ""}${agent ? `&agent=${agent}` : ""}${since === undefined ? "" : `&since=${since}`}`;

/** Everything a socket received up to the sentinel broadcast that follows the private messages. */
async function seen(s: TestSocket): Promise<string> {
  await s.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sentinelSeq);
  return JSON.stringify(s.frames);
}

describe("private stays private, also with require_token:false", () => {
  beforeAll(async () => {
    const { client } = await connect(ROOM, "setup", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    for (const a of ["carol", "dave", "bob", "ann"]) await call(client, "masc_join", { agent_name: a });
    roomSecret = (await call(client, "masc_auth_enable", { require_token: false })).json.room_secret;
    await client.close();
    Object.assign(tokens, await mintTokens(ROOM, roomSecret, { ann: "worker", bob: "worker", dave: "worker", carol: "reader" }));

    sockets.readerDash = await openSocket(wsPath("dashboard", tokens.carol));
    sockets.anonDash = await openSocket(wsPath("dashboard"));
    sockets.workerDash = await openSocket(wsPath("dashboard", tokens.dave));
    sockets.adminDash = await openSocket(wsPath("dashboard", roomSecret));
    sockets.bobOwn = await openSocket(wsPath("client", tokens.bob, "bob"));
    for (const s of Object.values(sockets)) await s.next((f) => f.type === "welcome");

    const { client: ann } = await connect(ROOM, "ann", { stream: false, token: tokens.ann });
    await call(ann, "masc_switch_mode", { mode: "full" });
    expect((await call(ann, "masc_portal_open", { agent_name: "ann", target_agent: "bob", initial_message: SECRETS[0] })).isError).toBe(
      false,
    );
    expect((await call(ann, "masc_broadcast", { agent_name: "ann", message: `@bob ${SECRETS[1]}` })).isError).toBe(false);
    sentinelSeq = (await call(ann, "masc_broadcast", { agent_name: "ann", message: "public sentinel" })).json.seq;
    await ann.close();
  }, 30_000);

  it("a reader's and an anonymous dashboard socket get neither portal bodies nor others' mentions, live or replayed", async () => {
    for (const name of ["readerDash", "anonDash"]) {
      const text = await seen(sockets[name] as TestSocket);
      for (const s of SECRETS) expect(text, name).not.toContain(s);
      expect(text, name).toContain("public sentinel");
    }
    for (const token of [tokens.carol, undefined]) {
      const replay = await openSocket(wsPath("dashboard", token, undefined, 0));
      const text = await seen(replay);
      for (const s of SECRETS) expect(text).not.toContain(s);
      replay.ws.close();
    }
  });

  it("a worker's dashboard sees the room's mentions but not others' portal messages; the parties and admins see theirs", async () => {
    const worker = await seen(sockets.workerDash as TestSocket);
    expect(worker).toContain(SECRETS[1]);
    expect(worker).not.toContain(SECRETS[0]);
    const bob = await seen(sockets.bobOwn as TestSocket);
    for (const s of SECRETS) expect(bob).toContain(s);
    const admin = await seen(sockets.adminDash as TestSocket);
    for (const s of SECRETS) expect(admin).toContain(s);
  });

  it("the hook API tells only the caller about its own mentions", async () => {
    for (const token of [undefined, tokens.carol, tokens.dave]) {
      const res = await get("api/hook?agent=bob", token);
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const s of SECRETS) expect(text).not.toContain(s);
    }
    const own = await (await get("api/hook", tokens.bob)).text();
    expect(own).toContain(SECRETS[1]);
  });

  it("the dashboard API, GraphQL, masc_messages and metrics leave them out for readers and anonymous callers", async () => {
    for (const token of [undefined, tokens.carol]) {
      const overview = await (await get("api/overview", token)).text();
      expect(overview).toContain("public sentinel");
      const gql = await exports.default.fetch(`http://localhost/r/${ROOM}/graphql`, {
        method: "POST",
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: JSON.stringify({ query: "{ messages(first: 50) { edges { node { content mention } } } }" }),
      });
      const gqlText = await gql.text();
      expect(gqlText).toContain("public sentinel");
      const metrics = await (await get("metrics", token)).text();
      for (const s of SECRETS) {
        expect(overview).not.toContain(s);
        expect(gqlText).not.toContain(s);
        expect(metrics).not.toContain(s);
      }
    }
    const { client: carol } = await connect(ROOM, "carol", { stream: false, token: tokens.carol });
    await call(carol, "masc_switch_mode", { mode: "full" });
    const history = await call(carol, "masc_messages", { agent_name: "carol", limit: 100 });
    expect(history.text).toContain("public sentinel");
    for (const s of SECRETS) expect(history.text).not.toContain(s);
    const resource = await carol.readResource({ uri: "masc://messages" });
    for (const s of SECRETS) expect(JSON.stringify(resource)).not.toContain(s);
    await carol.close();
    const admin = await (await get("api/overview", roomSecret)).text();
    expect(admin).toContain(SECRETS[1]);
    for (const s of Object.values(sockets)) s.ws.close();
  });
});
