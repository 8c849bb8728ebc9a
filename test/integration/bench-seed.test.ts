import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

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
