import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type DevServer, freePort, startWrangler } from "../helpers/wrangler";

/** Holds a loopback port the way another server on the machine would. */
async function occupy(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((res, rej) => {
    server.once("error", rej);
    server.listen(port, "127.0.0.1", () => res());
  });
  return { port, server };
}

/**
 * freePort's probe is closed before wrangler binds, so another server may take the port in
 * between; wrangler then says "Address already in use" and exits, and the helper starts it again
 * on fresh ports.
 */
describe("starting wrangler dev when its port was taken", () => {
  let server: DevServer | undefined;
  let held: Server | undefined;
  afterEach(async () => {
    await server?.stop();
    held?.close();
    server = held = undefined;
  });

  it("moves to a fresh port when the HTTP port is in use", { timeout: 150_000 }, async () => {
    const taken = await occupy();
    held = taken.server;
    server = await startWrangler({ port: taken.port });
    expect(server.portRetries()).toBe(1);
    expect(server.log()).toContain(`Address already in use (127.0.0.1:${taken.port})`);
    expect(server.port).not.toBe(taken.port);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("moves to a fresh inspector port when the inspector port is in use", { timeout: 150_000 }, async () => {
    const taken = await occupy();
    held = taken.server;
    server = await startWrangler({ inspectorPort: taken.port });
    expect(server.portRetries()).toBe(1);
    expect(server.inspectorPort).not.toBe(taken.port);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
