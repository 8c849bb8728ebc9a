import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FIXTURE_TOOLS } from "../../src/mcp/modern/fixtures";
import { modernClient, modernTool } from "../helpers/modern-client";
import { connect } from "./mcp";

const inWorker = (input: string | URL | Request, init?: RequestInit) => exports.default.fetch(new Request(input, init));

describe("the conformance suite's test_* tools", () => {
  it("are neither listed nor callable at either era unless the deployment sets MASC_CONFORMANCE=1", async () => {
    expect(env.MASC_CONFORMANCE).not.toBe("1");
    const names = FIXTURE_TOOLS.map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);

    const modern = await modernClient("http://localhost/r/no-fixtures/mcp?mode=full", { fetch: inWorker });
    const listed = (await modern.listTools()).tools.map((t) => t.name);
    expect(listed).toContain("masc_status");
    expect(listed.filter((n) => n.startsWith("test_"))).toEqual([]);
    for (const name of names) {
      const reply = await modernTool(modern, name).catch((err: Error) => ({ isError: true, text: err.message }));
      expect(reply.isError, name).toBe(true);
      expect(reply.text, name).toMatch(new RegExp(`(unknown|Unknown) tool.*${name}`));
    }
    await modern.close();

    const { client } = await connect("no-fixtures", "old", { stream: false });
    const old = (await client.listTools()).tools.map((t) => t.name);
    expect(old).toContain("masc_status");
    expect(old.filter((n) => n.startsWith("test_"))).toEqual([]);
    await client.close();
  });
});
