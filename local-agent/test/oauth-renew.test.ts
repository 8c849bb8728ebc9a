import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OAuthSession } from "../src/bridge/oauth.ts";

/** A renewal that fails keeps the stored sign-in unless the token endpoint refused the grant. */
describe("renewing a stored sign-in", () => {
  const room = "http://127.0.0.1:1/mcp";
  let dir: string;
  let file: string;
  let server: Server;
  let base: string;
  /** What the stand-in token endpoint answers next: status and JSON body. */
  let answer: [number, unknown] = [200, {}];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(answer[0], { "content-type": "application/json" });
        res.end(JSON.stringify(answer[1]));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "masc-renew-"));
    file = join(dir, "oauth.json");
    return () => rmSync(dir, { recursive: true, force: true });
  });

  const store = (tokenEndpoint: string) =>
    writeFileSync(
      file,
      JSON.stringify({
        [room]: {
          issuer: base,
          token_endpoint: tokenEndpoint,
          resource: room,
          client_id: "c1",
          tokens: { access_token: "old-access", refresh_token: "r1", expires_at: Date.now() - 1 },
        },
      }),
    );
  const stored = () => (JSON.parse(readFileSync(file, "utf8")) as Record<string, { tokens?: { refresh_token?: string } }>)[room]?.tokens;
  const renew = () => {
    const session = new OAuthSession(room, file);
    void session.token;
    return session.renew();
  };

  it("rotates and stores the tokens the endpoint issues", async () => {
    store(`${base}/token`);
    answer = [200, { access_token: "new-access", refresh_token: "r2", expires_in: 3600 }];
    expect(await renew()).toBe("new-access");
    expect(stored()?.refresh_token).toBe("r2");
  });

  it("forgets the tokens when the endpoint refuses the grant", async () => {
    store(`${base}/token`);
    answer = [400, { error: "invalid_grant", error_description: "refresh token revoked" }];
    expect(await renew()).toBeUndefined();
    expect(stored()).toBeUndefined();
  });

  it("keeps them when the endpoint fails or cannot be reached, for the next try", async () => {
    store(`${base}/token`);
    answer = [503, { error: "temporarily_unavailable" }];
    expect(await renew()).toBeUndefined();
    expect(stored()?.refresh_token).toBe("r1");
    // Nothing listens on port 1.
    store("http://127.0.0.1:1/token");
    expect(await renew()).toBeUndefined();
    expect(stored()?.refresh_token).toBe("r1");
  });
});
