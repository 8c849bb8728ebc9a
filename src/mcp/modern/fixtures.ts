import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  MissingRequiredClientCapabilityError,
  type ServerContext,
} from "@modelcontextprotocol/server";

/**
 * Diagnostic tools the MCP conformance suite calls to exercise per-request logging, undeclared
 * client capabilities and input requests on a response stream. Listed and callable only when the
 * deployment sets MASC_CONFORMANCE=1 (off by default, like MASC_BENCH); they touch no room state.
 */
export const FIXTURE_TOOLS = [
  {
    name: "test_logging_tool",
    description: "Conformance: logs at each level the request asked for",
    inputSchema: { type: "object" as const },
  },
  { name: "test_missing_capability", description: "Conformance: needs the sampling capability", inputSchema: { type: "object" as const } },
  { name: "test_streaming_elicitation", description: "Conformance: asks for input", inputSchema: { type: "object" as const } },
];

interface Envelope {
  "io.modelcontextprotocol/logLevel"?: string;
  "io.modelcontextprotocol/clientCapabilities"?: Record<string, unknown>;
}

export async function callFixture(name: string, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult | undefined> {
  const envelope = (ctx.mcpReq.envelope ?? {}) as Envelope;
  if (name === "test_logging_tool") {
    if (envelope["io.modelcontextprotocol/logLevel"]) {
      for (const level of ["debug", "info", "warning", "error"] as const) {
        await ctx.mcpReq.notify({ method: "notifications/message", params: { level, logger: "masc", data: `${level} message` } });
      }
    }
    return { content: [{ type: "text", text: "logged" }] };
  }
  if (name === "test_missing_capability") {
    if (!envelope["io.modelcontextprotocol/clientCapabilities"]?.sampling)
      throw new MissingRequiredClientCapabilityError({ requiredCapabilities: { sampling: {} } });
    return { content: [{ type: "text", text: "sampling declared" }] };
  }
  if (name === "test_streaming_elicitation") {
    const answered = ctx.mcpReq.inputResponses?.name;
    if (answered) return { content: [{ type: "text", text: JSON.stringify(answered) }] };
    return inputRequired({
      inputRequests: {
        name: inputRequired.elicit({
          message: "Your name?",
          requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
        }),
      },
    });
  }
  return undefined;
}
