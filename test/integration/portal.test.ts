import { describe, expect, it } from "vitest";
import { collect, untilStreaming } from "../helpers/agents";
import { call, connect } from "./mcp";
import { fullMode } from "./modes";

describe("portals", () => {
  it("carries messages both ways, by push and by the target's inbox", async () => {
    const room = "portal-trip";
    const { client: a } = await connect(room, "a", { stream: false });
    const { client: b } = await connect(room, "b");
    const inbox = collect(b);
    await fullMode(room);
    await call(a, "masc_join", { agent_name: "claude" });
    await call(b, "masc_join", { agent_name: "gemini" });
    await untilStreaming(b, "gemini");
    const opened = await call(a, "masc_portal_open", { agent_name: "claude", target_agent: "gemini", initial_message: "hi, direct" });
    expect(opened.json).toMatchObject({ created: true, portal: { with: "gemini", opened_by: "claude" } });
    const pushed = await inbox.next((e) => e.kind === "portal_message");
    expect(pushed).toMatchObject({ actor: "claude", target: "gemini", body: "hi, direct" });
    const status = await call(b, "masc_portal_status", { agent_name: "gemini" });
    expect(status.json).toMatchObject({
      portal: { with: "claude" },
      pending_count: 1,
      pending: [{ from: "claude", content: "hi, direct" }],
    });
    expect((await call(b, "masc_portal_status", { agent_name: "gemini" })).json.pending_count).toBe(0);
    await call(b, "masc_portal_send", { agent_name: "gemini", message: "got it" });
    const reply = await call(a, "masc_listen", { agent_name: "claude", timeout: 5 });
    expect(reply.json.events).toEqual([expect.objectContaining({ type: "portal", from: "gemini", content: "got it" })]);
    const history = await call(b, "masc_messages", { agent_name: "gemini" });
    expect(history.json.messages.map((m: { content: string }) => m.content)).toEqual(["hi, direct", "got it"]);
    expect((await call(a, "masc_portal_open", { agent_name: "claude", target_agent: "codex" })).text).toMatch(/^not_joined|^portal_error/);
    expect((await call(b, "masc_portal_close", { agent_name: "gemini" })).json.closed.with).toBe("claude");
    expect((await call(a, "masc_portal_send", { agent_name: "claude", message: "anyone?" })).text).toMatch(
      /^portal_error: claude has no open portal/,
    );
    await a.close();
    await b.close();
  });
});
