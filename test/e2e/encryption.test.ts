import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collect } from "../helpers/agents";
import { mcpClient, tool } from "../helpers/client";
import { type DevServer, startWrangler } from "../helpers/wrangler";

const KEY = "c2VjcmV0LWtleS1mb3ItbWFzYy1lMmUtdGVzdHMtMzI=";
const OTHER_KEY = "b3RoZXIta2V5LWZvci1tYXNjLWUyZS10ZXN0cy0zMiE=";
const PLAIN = ["zebra-ledger-7731", "purple-otter-vault", "drop-table-customers", "portal-moonbeam-secret"];
/** Written while the room was still unencrypted: enabling must leave none of it on disk either. */
const BEFORE = ["mango-deploy-key-4411", "walrus-passphrase-0923", "kestrel-rollback-plan"];

/** Keeps a GET stream open so pushed events (and their replay buffer) are part of what is checked. */
function inbox(client: Awaited<ReturnType<typeof mcpClient>>["client"]): void {
  collect(client);
}

/** Every byte under the state directory, as latin1 text so any stored plaintext shows up. */
function diskText(dir: string): string {
  let out = "";
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out += readFileSync(p).toString("latin1");
    }
  };
  walk(dir);
  return out;
}

describe("encryption at rest under wrangler dev", () => {
  const dir = mkdtempSync(join(tmpdir(), "masc-enc-"));
  let server: DevServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves no plaintext in .wrangler/state, written before or after enabling, refuses a wrong key without damage, and reads back after disabling", async () => {
    server = await startWrangler({ persistDir: dir, vars: { MASC_ENCRYPTION_KEY: KEY } });
    const url = `${server.url}/r/vault/mcp`;
    let { client } = await mcpClient(url, "claude");
    inbox(client);
    await tool(client, "masc_switch_mode", { mode: "full" });
    await tool(client, "masc_join", { agent_name: "claude" });
    await tool(client, "masc_add_task", { title: `Before ${BEFORE[0]}`, description: BEFORE[0] });
    await tool(client, "masc_broadcast", { agent_name: "claude", message: `@all ${BEFORE[1]}` });
    await tool(client, "masc_interrupt", { agent_name: "claude", task_id: "task-001", step: 1, action: BEFORE[2], message: "ok?" });
    await tool(client, "masc_approve", { task_id: "task-001" });
    const enabled = await tool(client, "masc_encryption_enable");
    expect(enabled.json?.enabled, enabled.text).toBe(true);
    expect(enabled.json.scrubbed_bytes).toBeGreaterThan(2 * 5 * 1024 * 1024);
    // Everything written from here on, pushed events and their replay buffer included.
    await tool(client, "masc_add_task", { title: `Rotate ${PLAIN[0]}`, description: PLAIN[0] });
    await tool(client, "masc_broadcast", { agent_name: "claude", message: `@all ${PLAIN[1]}` });
    await tool(client, "masc_interrupt", { agent_name: "claude", task_id: "task-002", step: 1, action: PLAIN[2], message: "ok?" });
    await tool(client, "masc_join", { agent_name: "gemini" });
    await tool(client, "masc_portal_open", { agent_name: "claude", target_agent: "gemini", initial_message: PLAIN[3] });
    const status = (await tool(client, "masc_encryption_status")).json;
    expect(status.sealed_values.tasks).toBe(2);
    await client.close();
    await server.stop();
    const disk = diskText(dir);
    expect(disk.length).toBeGreaterThan(0);
    for (const p of [...BEFORE, ...PLAIN]) expect(disk.includes(p), `${p} found on disk`).toBe(false);

    server = await startWrangler({ persistDir: dir, vars: { MASC_ENCRYPTION_KEY: OTHER_KEY } });
    ({ client } = await mcpClient(`${server.url}/r/vault/mcp`, "claude"));
    await tool(client, "masc_switch_mode", { mode: "full" });
    const wrong = await tool(client, "masc_tasks");
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/^encryption_error: MASC_ENCRYPTION_KEY is not the key this room was encrypted with/);
    expect((await tool(client, "masc_encryption_disable")).text).toMatch(/^encryption_error: /);
    await client.close();
    await server.stop();

    server = await startWrangler({ persistDir: dir, vars: { MASC_ENCRYPTION_KEY: KEY } });
    ({ client } = await mcpClient(`${server.url}/r/vault/mcp`, "claude"));
    await tool(client, "masc_switch_mode", { mode: "full" });
    expect((await tool(client, "masc_tasks")).json.tasks.map((t: { title: string }) => t.title)).toEqual([
      `Before ${BEFORE[0]}`,
      `Rotate ${PLAIN[0]}`,
    ]);
    expect((await tool(client, "masc_encryption_disable")).json.enabled).toBe(false);
    expect((await tool(client, "masc_messages")).text).toContain(PLAIN[1]);
    expect((await tool(client, "masc_pending_interrupts")).json.pending[0].action).toBe(PLAIN[2]);
    expect((await tool(client, "masc_portal_status", { agent_name: "gemini" })).text).toContain(PLAIN[3]);
    await client.close();
  });

  it("refuses to enable without a key, saying how to set one", async () => {
    const plain = await startWrangler();
    try {
      const { client } = await mcpClient(`${plain.url}/r/nokey/mcp`, "x");
      await tool(client, "masc_switch_mode", { mode: "full" });
      expect((await tool(client, "masc_encryption_enable")).text).toMatch(/^encryption_error: MASC_ENCRYPTION_KEY is not set/);
      await client.close();
    } finally {
      await plain.stop();
    }
  });
});
