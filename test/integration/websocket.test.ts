import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openSocket } from "./ws";

const isEvent = (kind: string) => (f: Record<string, unknown>) => f.type === "event" && (f.event as { kind: string }).kind === kind;

describe("room WebSocket", () => {
  it("welcomes with the room's last seq and streams new events", async () => {
    const sock = await openSocket("/r/ws-live/ws?kind=dashboard");
    const welcome = await sock.next((f) => f.type === "welcome");
    expect(welcome).toMatchObject({ room: "ws-live", last_seq: 0, since: 0 });
    const { client } = await connect("ws-live", "t", { stream: false });
    await call(client, "masc_add_task", { title: "watch me" });
    const added = await sock.next(isEvent("task_added"));
    expect((added.event as { data: { task_id: string } }).data.task_id).toBe("task-001");
    sock.ws.close();
    await client.close();
  });

  it("replays everything after `since`, in order, without duplicates", async () => {
    const { client } = await connect("ws-replay", "t", { stream: false });
    for (const title of ["a", "b", "c"]) await call(client, "masc_add_task", { title });
    const sock = await openSocket("/r/ws-replay/ws?kind=dashboard&since=1");
    await sock.next((f) => f.type === "event" && (f.event as { seq: number }).seq === 3);
    const seqs = sock.frames.filter((f) => f.type === "event").map((f) => (f.event as { seq: number }).seq);
    expect(seqs).toEqual([2, 3]);
    sock.ws.close();
    await client.close();
  });

  it("keeps delivering after the room is evicted (hibernation)", async () => {
    const sock = await openSocket("/r/ws-evict/ws?kind=dashboard");
    await sock.next((f) => f.type === "welcome");
    await evictDurableObject(env.ROOM.getByName("ws-evict"));
    const { client } = await connect("ws-evict", "t", { stream: false });
    await call(client, "masc_add_task", { title: "after eviction" });
    const ev = await sock.next(isEvent("task_added"));
    expect((ev.event as { data: { title: string } }).data.title).toBe("after eviction");
    sock.ws.close();
    await client.close();
  });

  it("refuses bad query values with 400 naming the field", async () => {
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("http://localhost/r/ws-bad/ws?since=-3", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("since");
  });
});
