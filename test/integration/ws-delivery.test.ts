import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openSocket } from "./ws";

describe("delivery receipts over WebSocket", () => {
  it("counts an event sent to an agent's own socket as delivered to it, but not a dashboard's", async () => {
    const room = "ws-receipts";
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "gemini" });
    await call(client, "masc_join", { agent_name: "codex" });
    // Joined last, so this session reads as the sender.
    await call(client, "masc_join", { agent_name: "claude" });
    const mine = await openSocket(`/r/${room}/ws?kind=client&agent=gemini`);
    const dash = await openSocket(`/r/${room}/ws?kind=dashboard`);
    await mine.next((f) => f.type === "welcome");
    await dash.next((f) => f.type === "welcome");
    const sent = await call(client, "masc_broadcast", { agent_name: "claude", message: "@gemini @codex ping" });
    const frame = await mine.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sent.json.seq);
    expect((frame.event as { body: string }).body).toBe("@gemini @codex ping");
    await dash.next((f) => f.type === "event" && (f.event as { seq: number }).seq === sent.json.seq);
    const history = await call(client, "masc_messages", {});
    expect(history.json.messages[0]).toMatchObject({ seq: sent.json.seq, delivered_to: ["gemini"], read_by: [] });
    mine.ws.close();
    dash.ws.close();
    await client.close();
  });
});
