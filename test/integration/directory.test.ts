import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deployedFetch, OWNER_SECRET, publicUrl } from "./edge";
import { call, connect } from "./mcp";

const rooms = async () => (await env.DIRECTORY.getByName("rooms").list(100, false)).rooms.map((r) => r.name);

describe("room directory", () => {
  it("lists a room from its first event, never one that only got refused or read", async () => {
    const fetcher = deployedFetch();
    for (const path of ["/r/ghost/mcp", "/r/ghost/api/overview", "/r/ghost/metrics"])
      expect((await fetcher(publicUrl(path))).status).toBe(401);
    expect((await fetcher(publicUrl("/r/ghost/api/overview"), { headers: { authorization: `Bearer ${OWNER_SECRET}` } })).status).toBe(200);
    const { client } = await connect("listed", "t", { stream: false });
    await call(client, "masc_join", { agent_name: "a" });
    await client.close();
    for (let i = 0; i < 40 && !(await rooms()).includes("listed"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await rooms()).toContain("listed");
    expect(await rooms()).not.toContain("ghost");
  });

  it("answers the public directory and metrics only with a credential, and the owner secret sees every room", async () => {
    const fetcher = deployedFetch();
    expect((await fetcher(publicUrl("/api/rooms"))).status).toBe(401);
    expect((await fetcher(publicUrl("/metrics"), { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const owner = await fetcher(publicUrl("/api/rooms"), { headers: { authorization: `Bearer ${OWNER_SECRET}` } });
    expect(await owner.json()).toMatchObject({ scope: "all" });
  });
});
