import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

const PATH = "http://localhost/r/method-names/mcp";
const ACCEPT = "application/json, text/event-stream";
const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
};

/** Keys every object inherits: a method table read with one of these finds a function, not a handler. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

/** A name the 2026-07-28 lane can be sent at all: it repeats the method in the Mcp-Method header. */
const HEADER_SAFE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

/** Methods either lane serves; every other name must be "method not found". */
const SERVED = new Set([
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "logging/setLevel",
  "server/discover",
  "subscriptions/listen",
  "completion/complete",
  "prompts/list",
  "prompts/get",
]);

let session: Record<string, string> = {};

async function legacy(method: string, id: number, params: object = {}) {
  const res = await exports.default.fetch(PATH, {
    method: "POST",
    headers: { accept: ACCEPT, "content-type": "application/json", ...session },
    body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: number } } };
}

async function modern(method: string, id: number, params: object = {}) {
  const res = await exports.default.fetch(PATH, {
    method: "POST",
    headers: { accept: ACCEPT, "content-type": "application/json", "mcp-protocol-version": "2026-07-28", "mcp-method": method },
    body: JSON.stringify({ jsonrpc: "2.0", id, method, params: { ...params, _meta: META } }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: number } } };
}

describe("a method named like an Object prototype key is not found, on both lanes", () => {
  beforeAll(async () => {
    const init = await exports.default.fetch(PATH, {
      method: "POST",
      headers: { accept: ACCEPT, "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    });
    session = { "mcp-session-id": init.headers.get("mcp-session-id") ?? "", "mcp-protocol-version": "2025-11-25" };
    await init.text();
  }, 30_000);

  it("answers -32601 for __proto__, constructor, toString, hasOwnProperty and the rest", async () => {
    for (const method of PROTOTYPE_KEYS) {
      for (const [lane, send, notFound] of [
        ["2025", legacy, 200],
        ["2026", modern, 404],
      ] as const) {
        const { status, body } = await send(method, 7);
        expect(status, `${lane} ${method}`).toBe(notFound);
        expect(body.error?.code, `${lane} ${method}`).toBe(-32601);
      }
    }
  });

  it("answers -32601, never a 500, for any method name it does not serve (fuzzed)", async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...PROTOTYPE_KEYS),
      fc.constantFrom(...PROTOTYPE_KEYS).map((k) => `${k}/list`),
      fc.constantFrom("tools/", "resources/", "notifications/", "logging/").chain((p) => fc.string({ maxLength: 20 }).map((s) => p + s)),
    );
    await fc.assert(
      fc.asyncProperty(names, fc.boolean(), async (method, old) => {
        fc.pre(!SERVED.has(method) && (old || HEADER_SAFE.test(method)));
        const { status, body } = await (old ? legacy : modern)(method, 9);
        // The 2026-07-28 lane says "not found" in the status too (its transport spec).
        expect(status, `${old ? "2025" : "2026"} ${JSON.stringify(method)}`).toBe(old ? 200 : 404);
        expect(body.error?.code, `${old ? "2025" : "2026"} ${JSON.stringify(method)}`).toBe(-32601);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("answers a resource URI named like a prototype key as an unknown resource, on both lanes", async () => {
    for (const uri of PROTOTYPE_KEYS) {
      const old = await legacy("resources/read", 11, { uri });
      expect(old.status, `2025 ${uri}`).toBe(200);
      expect(old.body.error?.code, `2025 ${uri}`).toBe(-32602);
      const now = await modern("resources/read", 11, { uri });
      expect(now.status, `2026 ${uri}`).toBeLessThan(500);
      expect(now.body.error, `2026 ${uri}`).toBeDefined();
    }
  });
});
