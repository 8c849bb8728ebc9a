import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openStream } from "./sse";

/**
 * The GET stream of a session whose client sends no MCP-Protocol-Version header after initialize,
 * as Gemini CLI does: the missing header means the version the session negotiated.
 */
async function initialize(room: string, version: string): Promise<string> {
  const post = (body: unknown, sid?: string) =>
    exports.default.fetch(
      new Request(`http://localhost/r/${room}/mcp`, {
        method: "POST",
        headers: {
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          ...(sid ? { "mcp-session-id": sid } : {}),
        },
        body: JSON.stringify(body),
      }),
    );
  const init = await post({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "gemini-cli-mcp-client", version: "0.61.0" } },
  });
  expect(init.status).toBe(200);
  expect((await init.json()) as object).toMatchObject({ result: { protocolVersion: version } });
  const sid = init.headers.get("mcp-session-id") ?? "";
  const done = await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sid);
  await done.body?.cancel();
  const join = await post(
    { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "masc_join", arguments: { agent_name: "gemini" } } },
    sid,
  );
  expect(await join.text()).toContain("gemini");
  return sid;
}

/** Every `data:` line of an SSE text; an empty one is what Gemini CLI's JSON.parse throws on. */
const dataLines = (sse: string) => [...sse.matchAll(/^data:(.*)$/gm)].map((m) => (m[1] ?? "").trim());

describe("a GET stream without MCP-Protocol-Version", () => {
  it("sends a 2025-06-18 session (Gemini CLI's shapes) no empty data line, before and after a push and after eviction", async () => {
    const room = "stream-gemini";
    const sid = await initialize(room, "2025-06-18");
    const path = `/r/${room}/mcp`;
    const stream = await openStream(path, { sid, version: "" }, null);
    expect(stream.status).toBe(200);
    const { client: a } = await connect(room, "a", { stream: false });
    await call(a, "masc_join", { agent_name: "claude" });
    const sent = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini hello" });
    const text = await stream.read((t) => t.includes("@gemini hello"));
    expect(text).toContain("@gemini hello");
    const lines = dataLines(text);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l === "")).toEqual([]);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    await stream.close();
    await a.close();

    // A session rebuilt after eviction keeps the version it negotiated.
    await evictDurableObject(env.ROOM.getByName(room));
    const again = await openStream(path, { sid, version: "" }, null);
    expect(again.status).toBe(200);
    const { client: b } = await connect(room, "b", { stream: false });
    await call(b, "masc_broadcast", { agent_name: "claude", message: `@gemini after ${sent.json.seq}` });
    const after = await again.read((t) => t.includes(`@gemini after ${sent.json.seq}`));
    expect(dataLines(after).filter((l) => l === "")).toEqual([]);
    expect(after).toContain(`@gemini after ${sent.json.seq}`);
    await again.close();
    await b.close();
  });

  it("still primes a 2025-11-25 session with an id and empty data, which that version allows", async () => {
    const room = "stream-primed";
    const sid = await initialize(room, "2025-11-25");
    const stream = await openStream(`/r/${room}/mcp`, { sid, version: "" }, null);
    const text = await stream.read((t) => /^id: /m.test(t));
    expect(text).toMatch(/^id: \S+$/m);
    expect(dataLines(text)).toEqual([""]);
    await stream.close();
  });
});
