import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { SocketInfo } from "../../src/room-host/sockets";
import { signIn } from "./oauth-flow";
import { oauthRoom } from "./oauth-room";
import { openSocket } from "./ws";

const ROOM = "audit-oauth";
const room = oauthRoom(ROOM);

describe("an OAuth access token's expiry reaches the room", () => {
  beforeAll(room.setUp, 30_000);

  it("a socket opened with an access token carries its expiry, so it closes when the token runs out", async () => {
    const tokens = await signIn(room.clientId, ROOM, await room.invite("olga", "worker"));
    const before = Date.now();
    const s = await openSocket(`/r/${ROOM}/ws?kind=dashboard&token=${encodeURIComponent(tokens.access_token ?? "")}`);
    await s.next((f) => f.type === "welcome");
    const callers = await runInDurableObject(env.ROOM.getByName(ROOM), (_i, state) =>
      state.getWebSockets("kind:dashboard").map((ws) => (ws.deserializeAttachment() as SocketInfo).caller),
    );
    const olga = callers.find((c) => c?.agent === "olga");
    expect(olga?.via).toBe("oauth");
    // Access tokens last an hour: without the expiry the socket would outlive its token.
    expect(olga?.expires_at).toBeGreaterThan(before);
    expect(olga?.expires_at).toBeLessThanOrEqual(before + 2 * 3_600_000);
    s.ws.close();
  });
});
