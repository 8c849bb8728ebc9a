import { describe, expect, it } from "vitest";
import { connectPublic, deployedFetch, OWNER_SECRET, PUBLIC_HOST, publicUrl } from "./edge";
import { call } from "./mcp";
import { oauthFlow } from "./oauth-flow";

const ROOM = "pub";
const ORIGIN = `https://${PUBLIC_HOST}`;
const fetcher = deployedFetch();
const flow = oauthFlow(ORIGIN, fetcher);

describe("OAuth on a deployed (non-loopback, https) host", () => {
  it("is the way in to a room that needs a credential from its first request", async () => {
    const bare = await fetcher(publicUrl(`/r/${ROOM}/mcp`), { method: "POST", body: "{}" });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/r/${ROOM}/mcp"`,
    );
    await bare.text();
    const as = (await (await fetcher(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    expect(as.issuer).toBe(ORIGIN);
    expect(as.token_endpoint).toBe(`${ORIGIN}/token`);

    const owner = await connectPublic(ROOM, OWNER_SECRET);
    await call(owner, "masc_switch_mode", { mode: "full" });
    const invite = (await call(owner, "masc_auth_invite", { agent_name: "remote", role: "worker" })).json.invite;
    await owner.close();

    const clientId = await flow.register("claude.ai");
    const tokens = await flow.signIn(clientId, ROOM, invite);
    expect(tokens.resource).toBe(`${ORIGIN}/r/${ROOM}/mcp`);
    const client = await connectPublic(ROOM, tokens.access_token);
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_join", { agent_name: "remote" })).isError).toBe(false);
    expect((await call(client, "masc_auth_status")).json.you).toMatchObject({ agent: "remote", role: "worker", via: "oauth" });
    await client.close();

    // The other room surfaces take the same token: the dashboard API and GraphQL.
    for (const [path, init] of [
      ["api/overview", {}],
      ["graphql", { method: "POST", body: JSON.stringify({ query: "{ status { project } }" }) }],
    ] as const) {
      const res = await fetcher(publicUrl(`/r/${ROOM}/${path}`), { ...init, headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(res.status, path).toBe(200);
      await res.text();
    }
  });

  it("lets the deploy's owner approve a sign-in as an agent and role they choose", async () => {
    const clientId = await flow.register("ChatGPT");
    const tokens = await flow.signIn(clientId, ROOM, OWNER_SECRET, { agent_name: "ops", role: "admin" });
    const client = await connectPublic(ROOM, tokens.access_token);
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await call(client, "masc_auth_status")).json.you).toMatchObject({ agent: "ops", role: "admin", via: "oauth" });
    expect((await call(client, "masc_auth_invite", { agent_name: "next" })).isError).toBe(false);
    await client.close();
  });

  it("refuses a wrong owner secret on the consent page like any unknown invite", async () => {
    const clientId = await flow.register("guess");
    const started = await flow.openConsent(clientId, ROOM);
    const res = await flow.submit(started, { invite: `${OWNER_SECRET}x`, step: "continue" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not valid for this room");
  });
});
