import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";

const names = async (client: Awaited<ReturnType<typeof connect>>["client"]) => (await client.listTools()).tools.map((t) => t.name);

describe("mode system", () => {
  it("changes the tool list of the calling session only and notifies it", async () => {
    const a = await connect("modes", "a");
    const b = await connect("modes", "b", { stream: false });
    let changed = 0;
    a.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    expect(await names(a.client)).toContain("masc_broadcast");
    const reply = await call(a.client, "masc_switch_mode", { mode: "minimal" });
    expect(reply.json).toMatchObject({ mode: "minimal", enabled_categories: ["core", "health"] });
    expect(reply.json.disabled_categories).toContain("comm");
    const listed = await names(a.client);
    expect(listed).toContain("masc_claim_next");
    expect(listed).not.toContain("masc_lock");
    expect(reply.json.enabled_tool_count).toBe(listed.length);
    expect(await names(b.client)).toContain("masc_lock");
    for (let i = 0; i < 50 && changed === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changed).toBeGreaterThan(0);
    await a.client.close();
    await b.client.close();
  });

  it("still runs a tool the mode does not list: modes save tokens, they never refuse work", async () => {
    const { client } = await connect("modes-hidden", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "solo" });
    expect(await names(client)).not.toContain("masc_broadcast");
    await call(client, "masc_join", { agent_name: "claude" });
    const sent = await call(client, "masc_broadcast", { agent_name: "claude", message: "hi" });
    expect(sent.isError).toBe(false);
    expect(sent.json).toMatchObject({ sent: true });
    // The README's calls work from the default URL without switching modes.
    const { client: plain } = await connect("modes-hidden", "u", { stream: false });
    expect(await names(plain)).not.toContain("masc_portal_open");
    await call(plain, "masc_join", { agent_name: "gemini" });
    const portal = await call(plain, "masc_portal_open", { agent_name: "gemini", target_agent: "claude" });
    expect(portal.isError, portal.text).toBe(false);
    await client.close();
    await plain.close();
  });

  it("takes custom categories, always keeps core, and validates them", async () => {
    const { client } = await connect("modes-custom", "t", { stream: false });
    const ok = await call(client, "masc_switch_mode", { mode: "custom", categories: ["portal"] });
    expect(ok.json.enabled_categories).toEqual(["core", "portal"]);
    expect((await call(client, "masc_switch_mode", { mode: "custom" })).text).toMatch(/^invalid_input: .*categories/);
    expect((await call(client, "masc_switch_mode", { mode: "custom", categories: ["nope"] })).text).toMatch(
      /^invalid_input: .*categories\.0/,
    );
    expect((await call(client, "masc_switch_mode", { mode: "turbo" })).text).toMatch(/^invalid_input: .*mode/);
    expect((await call(client, "masc_get_config")).json).toMatchObject({ mode: "custom", enabled_categories: ["core", "portal"] });
    await client.close();
  });

  it("keeps a session's mode when the room is evicted", async () => {
    const { client } = await connect("modes-evict", "t", { stream: false });
    await call(client, "masc_switch_mode", { mode: "full" });
    await evictDurableObject(env.ROOM.getByName("modes-evict"));
    expect((await call(client, "masc_get_config")).json.mode).toBe("full");
    expect(await names(client)).toContain("masc_portal_open");
    await client.close();
  });

  it("opens a 2025 session in the URL's mode, which masc_switch_mode may still change", async () => {
    const transport = new StreamableHTTPClientTransport(new URL("http://localhost/r/modes-url/mcp?mode=minimal"), {
      fetch: (i, n) =>
        new Request(i, n).method === "GET"
          ? Promise.resolve(new Response(null, { status: 405 }))
          : exports.default.fetch(new Request(i, n)),
    });
    const client = new Client({ name: "url-mode", version: "1" });
    await client.connect(transport);
    expect(await names(client)).toEqual([
      "masc_join",
      "masc_status",
      "masc_add_task",
      "masc_tasks",
      "masc_claim_next",
      "masc_done",
      "masc_broadcast",
      "masc_messages",
    ]);
    expect((await call(client, "masc_get_config")).json.mode).toBe("minimal");
    await call(client, "masc_switch_mode", { mode: "full" });
    expect((await names(client)).length).toBeGreaterThan(60);
    await client.close();
  });
});
