import { describe, expect, it } from "vitest";
import { cimdRefusal } from "../../src/http/oauth/cimd";

describe("which client metadata document URLs masc may fetch", () => {
  it.each([
    ["https://127.0.0.1:8443/oauth/client.json", "IP address 127.0.0.1"],
    ["https://127.1/c.json", "IP address 127.0.0.1"],
    ["https://2130706433/c.json", "IP address 127.0.0.1"],
    ["https://0x7f.0.0.1/c.json", "IP address 127.0.0.1"],
    ["https://10.0.0.5/c.json", "IP address 10.0.0.5"],
    ["https://192.168.1.1/c.json", "IP address 192.168.1.1"],
    ["https://169.254.169.254/latest/meta-data", "IP address 169.254.169.254"],
    ["https://8.8.8.8/c.json", "IP address 8.8.8.8"],
    ["https://[::1]/c.json", "IP address [::1]"],
    ["https://[fe80::1]/c.json", "IP address [fe80::1]"],
    ["https://[::ffff:127.0.0.1]/c.json", "IP address [::ffff:7f00:1]"],
    ["https://localhost/c.json", "local host 'localhost'"],
    ["https://LOCALHOST./c.json", "local host 'localhost'"],
    ["https://intranet/c.json", "local host 'intranet'"],
    ["https://app.localhost/c.json", "(.localhost)"],
    ["https://printer.local/c.json", "(.local)"],
    ["https://svc.internal/c.json", "(.internal)"],
    ["https://nas.home.arpa/c.json", "(.home.arpa)"],
    ["https://1.0.0.127.in-addr.arpa/c.json", "(.arpa)"],
    ["https://user:pw@client.example/c.json", "user name or password"],
    [" HTTPS://127.0.0.1/c.json", "IP address 127.0.0.1"],
    ["https://local\thost/c.json", "local host 'localhost'"],
  ])("refuses %s", (id, reason) => {
    expect(cimdRefusal(id)).toContain(reason);
  });

  it.each([
    "https://client.example/oauth/masc-test.json",
    "https://claude.ai/oauth/mcp-oauth-client-metadata",
    "https://a.b.example.com:8443/x.json",
    // Not a metadata document URL: a registered client's id, looked up in storage, never fetched.
    "0f3c9a7e-client",
    "http://127.0.0.1/c.json",
  ])("lets %s through", (id) => {
    expect(cimdRefusal(id)).toBeNull();
  });
});
