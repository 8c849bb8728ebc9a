import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { until } from "../helpers/until";
import { call, connect } from "./mcp";

/** Opens the session's GET stream by hand, to control Last-Event-ID. */
async function openStream(path: string, session: { sid: string; version: string }, lastEventId: string | null) {
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    "mcp-session-id": session.sid,
    "mcp-protocol-version": session.version,
  };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  const res = await exports.default.fetch(`http://localhost${path}`, { headers });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  /** Reads SSE text until `until` matches all of it so far (or 5 s pass), then stops reading. */
  const read = async (until: (text: string) => boolean) => {
    const deadline = Date.now() + 5000;
    while (!until(text) && Date.now() < deadline) {
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
      if (chunk === null) continue;
      pending = null;
      if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
      if (chunk.done) break;
    }
    return text;
  };
  return { read, close: () => reader.cancel() };
}

const lastId = (sse: string) => [...sse.matchAll(/^id: ?(\S+)$/gm)].at(-1)?.[1] ?? null;

/** Two agents in `room` without GET streams: claude (a) and gemini (b), and b's session for openStream. */
async function twoAgents(room: string) {
  const { client: a } = await connect(room, "a", { stream: false });
  const { client: b, transport } = await connect(room, "b", { stream: false });
  await call(a, "masc_join", { agent_name: "claude" });
  await call(b, "masc_join", { agent_name: "gemini" });
  const sid = { sid: transport.sessionId ?? "", version: transport.protocolVersion ?? "" };
  return { a, b, sid, path: `/r/${room}/mcp` };
}

describe("MCP push", () => {
  it("sends notifications/resources/updated for a subscribed room://events and serves it on read", async () => {
    const { client } = await connect("res-sub", "a");
    const inbox = collect(client);
    await call(client, "masc_join", { agent_name: "gemini" });
    await untilStreaming(client, "gemini");
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(["room://events", "masc://status", "masc://tasks", "masc://agents", "masc://messages"]),
    );
    await client.subscribeResource({ uri: "room://events" });
    const { client: other } = await connect("res-sub", "b", { stream: false });
    await call(other, "masc_join", { agent_name: "claude" });
    const sent = await call(other, "masc_broadcast", { agent_name: "claude", message: "hello" });
    await inbox.next((e) => e.seq === sent.json.seq);
    const deadline = Date.now() + 3000;
    while (!inbox.updated.includes("room://events") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(inbox.updated).toContain("room://events");
    const read = await client.readResource({ uri: `room://events?since=${sent.json.seq - 1}` });
    const body = JSON.parse(String((read.contents[0] as { text: string }).text));
    expect(body.events).toEqual([expect.objectContaining({ seq: sent.json.seq, kind: "broadcast", body: "hello" })]);
    const status = JSON.parse(String(((await client.readResource({ uri: "masc://status" })).contents[0] as { text: string }).text));
    expect(status).toMatchObject({ messages: 1, agents: { total: 2 } });
    await client.close();
    await other.close();
  });

  it("replays missed pushes after Last-Event-ID, including those sent while the room was evicted", async () => {
    const room = "replay";
    const { a, b, sid, path } = await twoAgents(room);
    expect(sid.version >= "2025-11-25").toBe(true);
    const live = await openStream(path, sid, null);
    await untilStreaming(a, "gemini");
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini seen live" });
    const resumeFrom = lastId(await live.read((t) => t.includes("seen live")));
    expect(resumeFrom).not.toBeNull();
    await live.close();
    const x = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini before eviction" });
    await evictDurableObject(env.ROOM.getByName(room));
    const y = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini while gemini was away" });
    const resumed = await openStream(path, sid, resumeFrom);
    const replayed = await resumed.read((t) => t.includes("while gemini was away"));
    await resumed.close();
    expect(replayed).not.toContain("seen live");
    expect(replayed).toContain("before eviction");
    expect(replayed).toContain("while gemini was away");
    const seqs = [...replayed.matchAll(/"seq":(\d+)/g)].map((m) => Number(m[1]));
    expect(seqs.filter((s) => s === x.json.seq || s === y.json.seq)).toEqual([x.json.seq, y.json.seq]);
    await a.close();
    await b.close();
  });

  it("stores no row per session for a pushed event, and replays events and stored updates in the order sent", async () => {
    const room = "replay-order";
    const { a, b, sid, path } = await twoAgents(room);
    await b.subscribeResource({ uri: "room://events" });
    const live = await openStream(path, sid, null);
    await untilStreaming(a, "gemini");
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini one" });
    const upTo = await live.read((t) => t.includes("notifications/resources/updated"));
    await live.close();
    const resumeFrom = lastId(upTo);
    expect(resumeFrom).toMatch(/^\d+$/);
    const x = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini two" });
    const y = await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini three" });
    // A busy room publishes what was committed within a few ms together, with one resource update
    // for the batch: the rows are the updates, each placed after the last event it followed.
    const stored = await until(async () => {
      const rows = await runInDurableObject(env.ROOM.getByName(room), (_i, state) =>
        state.storage.sql
          .exec<{ after_seq: number }>(
            "SELECT after_seq FROM sse_events WHERE session_id = ? AND id > ? ORDER BY id",
            sid.sid,
            Number(resumeFrom),
          )
          .toArray(),
      );
      return rows.at(-1)?.after_seq === y.json.seq ? rows : undefined;
    }, "the update after the last event stored");
    const after = stored.map((r) => r.after_seq);
    expect(after.every((seq) => seq === x.json.seq || seq === y.json.seq)).toBe(true);
    const expected: unknown[] = [];
    for (const seq of [x.json.seq, y.json.seq]) {
      expected.push(`e${seq}`);
      for (const a of after) if (a === seq) expected.push(expect.stringMatching(/^\d+$/));
    }
    const resumed = await openStream(path, sid, resumeFrom);
    const replayed = await resumed.read((t) => (t.match(/resources\/updated/g) ?? []).length >= after.length);
    await resumed.close();
    const ids = [...replayed.matchAll(/^id: ?(\S+)$/gm)].map((m) => m[1]);
    expect(ids).toEqual(expected);
    expect(replayed.indexOf("two")).toBeLessThan(replayed.indexOf("three"));
    expect(replayed).not.toContain("@gemini one");
    await a.close();
    await b.close();
  });

  it("keeps a session's logging level across eviction: below it, events are not sent as messages", async () => {
    const room = "log-level";
    const { a, b, sid, path } = await twoAgents(room);
    await b.subscribeResource({ uri: "room://events" });
    await b.setLoggingLevel("warning");
    await evictDurableObject(env.ROOM.getByName(room));
    const stream = await openStream(path, sid, null);
    await untilStreaming(a, "gemini");
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini quiet please" });
    // The resource update follows the message it would have come with, on the same stream.
    const quiet = await stream.read((t) => t.includes("notifications/resources/updated"));
    expect(quiet).toContain("notifications/resources/updated");
    expect(quiet).not.toContain("quiet please");
    await b.setLoggingLevel("info");
    await call(a, "masc_broadcast", { agent_name: "claude", message: "@gemini loud again" });
    expect(await stream.read((t) => t.includes("loud again"))).toContain("notifications/message");
    await stream.close();
    await a.close();
    await b.close();
  });

  it("sends notifications/progress for masc_progress when the client asked for progress", async () => {
    const { client } = await connect("progress", "a", { stream: false });
    await call(client, "masc_join", { agent_name: "claude" });
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool(
      { name: "masc_progress", arguments: { action: "step", task_id: "task-001", progress: 2, total_steps: 5, message: "halfway-ish" } },
      undefined,
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([{ progress: 2, total: 5, message: "halfway-ish" }]);
    await client.close();
  });
});
