import { env, evictDurableObject, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/http/app";

describe("the benchmark's seeding route", () => {
  it("does not exist unless the deployment sets MASC_BENCH=1, at the Worker and in the room", async () => {
    expect(env.MASC_BENCH).not.toBe("1");
    const body = JSON.stringify({ tasks: 10 });
    const viaWorker = await SELF.fetch("http://127.0.0.1/r/seeded/_bench/seed", { method: "POST", body });
    expect(viaWorker.status).toBe(404);
    await viaWorker.arrayBuffer();
    // As the Worker would forward it from loopback, so only the missing MASC_BENCH refuses it.
    const direct = await env.ROOM.getByName("seeded").fetch("https://room.internal/r/seeded/_bench/seed", {
      method: "POST",
      body,
      headers: { "x-masc-room": "seeded", "x-masc-loopback": "1" },
    });
    expect(direct.status).toBe(404);
    expect(await direct.json()).toEqual({ error: "not_found" });
  });
});

describe("the benchmark's echo route", () => {
  const echo = (vars: Partial<Env>) =>
    app.fetch(new Request("http://127.0.0.1/_bench/echo", { method: "POST", body: '{"ping":1}' }), { ...env, ...vars } as Env);

  it("does not exist unless the deployment sets MASC_BENCH=1", async () => {
    const res = await SELF.fetch("http://127.0.0.1/_bench/echo", { method: "POST", body: '{"ping":1}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", message: "no route for POST /_bench/echo" });
    expect((await echo({ MASC_BENCH: "0" })).status).toBe(404);
  });

  it("answers with the body it was sent when MASC_BENCH=1", async () => {
    const res = await echo({ MASC_BENCH: "1" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"ping":1}');
  });
});

describe("the benchmark's write echo route", () => {
  const write = (vars: Partial<Env>, body: string) =>
    app.fetch(new Request("http://127.0.0.1/_bench/echo-write", { method: "POST", body }), { ...env, ...vars } as Env);
  const stored = () =>
    runInDurableObject(env.ECHO.getByName("echo-write"), (_, state) =>
      state.storage.sql.exec<{ id: number; body: string }>("SELECT id, body FROM echo_writes ORDER BY id").toArray(),
    );

  it("does not exist unless the deployment sets MASC_BENCH=1, and writes nothing then", async () => {
    const res = await SELF.fetch("http://127.0.0.1/_bench/echo-write", { method: "POST", body: '{"ping":1}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", message: "no route for POST /_bench/echo-write" });
    const off = await write({ MASC_BENCH: "0" }, '{"ping":2}');
    expect(off.status).toBe(404);
    await off.arrayBuffer();
    expect(await stored()).toEqual([]);
  });

  it("stores the body it was sent as one row and answers with it when MASC_BENCH=1", async () => {
    const first = await write({ MASC_BENCH: "1" }, '{"ping":3}');
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('{"ping":3}');
    const second = await write({ MASC_BENCH: "1" }, '{"ping":4}');
    expect(await second.text()).toBe('{"ping":4}');
    expect(second.headers.get("x-echo-row")).toBe(String(Number(first.headers.get("x-echo-row")) + 1));
    expect((await stored()).map((r) => r.body)).toEqual(['{"ping":3}', '{"ping":4}']);
  });

  it("survives the object's eviction: the row was committed, not held in memory", async () => {
    await (await write({ MASC_BENCH: "1" }, '{"ping":5}')).arrayBuffer();
    await evictDurableObject(env.ECHO.getByName("echo-write"));
    expect((await stored()).at(-1)?.body).toBe('{"ping":5}');
  });
});
