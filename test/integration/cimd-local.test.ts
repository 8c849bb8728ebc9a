import { describe, expect, it } from "vitest";
import { CIMD_CLIENT_ID } from "../helpers/cimd-host";
import { openConsent, REDIRECT, submit, token } from "./oauth-flow";

const ROOM = "cimd-local";
const LOCAL_IDS = [
  "https://127.0.0.1:8443/oauth/masc-test.json",
  "https://localhost/oauth/masc-test.json",
  "https://[::1]/oauth/masc-test.json",
  "https://10.1.2.3/oauth/masc-test.json",
  "https://169.254.169.254/oauth/masc-test.json",
  "https://router.local/oauth/masc-test.json",
];

describe("client metadata documents are never fetched from local or IP addresses", () => {
  it("refuses the consent page for a client id on loopback, link-local, private or .local, naming why", async () => {
    for (const id of LOCAL_IDS) {
      const started = await openConsent(id, ROOM);
      expect(started.status, id).toBe(400);
      expect(started.html, id).toContain("invalid_client");
      expect(started.html, id).toContain("a client metadata document must be on a public DNS name");
      expect(started.html, id).not.toContain("Published by");
      expect(started.handle, id).toBe("");
    }
  }, 60_000);

  it("refuses a consent answer and a token request that name such a client", async () => {
    const good = await openConsent(CIMD_CLIENT_ID, ROOM);
    expect(good.status).toBe(200);
    const local = LOCAL_IDS[0] as string;
    const forged = { ...good, url: good.url.replace(encodeURIComponent(CIMD_CLIENT_ID), encodeURIComponent(local)) };
    const answered = await submit(forged, { invite: "anything", step: "continue" });
    expect(answered.status).toBe(400);
    expect(await answered.text()).toContain("public DNS name");
    const exchanged = await token({
      grant_type: "authorization_code",
      code: "x:y:z",
      client_id: local,
      redirect_uri: REDIRECT,
      code_verifier: "v",
    });
    expect(exchanged.status).toBe(401);
    expect(exchanged.body).toMatchObject({ error: "invalid_client", error_description: expect.stringContaining("IP address 127.0.0.1") });
  }, 60_000);
});
