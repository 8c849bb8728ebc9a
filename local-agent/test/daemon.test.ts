import { createServer, type Socket } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { Daemon } from "../src/daemon/daemon.ts";

async function until(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the daemon's reconnects", () => {
  it("keeps dialling a server that drops every WebSocket handshake, logging the state once, and stops cleanly", async () => {
    // Node's WebSocket fires `error` without `close` when the handshake fails: the case that used to end the daemon.
    let upgrades = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once("data", (d) => {
        if (/upgrade: websocket/i.test(String(d))) upgrades++;
        socket.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const logs: string[] = [];
    // The daemon's timers on a clock this test can see (advancing with the real one), so "no more
    // dialling after stop" is a state, no timer armed, and not a wait for nothing to happen.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"], shouldAdvanceTime: true });
    const daemon = new Daemon({
      url: `http://127.0.0.1:${port}`,
      room: "r",
      root: "/tmp",
      agents: [],
      notify: async () => {},
      log: (l) => void logs.push(l),
    });
    try {
      daemon.start();
      await until(() => upgrades >= 4, "four handshakes");
      expect(daemon.connected).toBe(false);
      expect(logs.filter((l) => l.startsWith("cannot reach room r yet"))).toHaveLength(1);
      expect(vi.getTimerCount(), "the next redial is pending").toBeGreaterThan(0);
      daemon.stop();
      // Whatever was pending runs out now (a handshake's own timeout may still fire, and ends
      // there); a dial would arm its handshake timeout again, so none may be left.
      await vi.runAllTimersAsync();
      expect(vi.getTimerCount(), "a timer armed after stop").toBe(0);
    } finally {
      vi.useRealTimers();
      daemon.stop();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 30_000);
});
