import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { RoomEvent } from "../room/events";
import { eventLog, GET_STREAM } from "./event-store";

/** The transport's fields this module relies on (SDK internals, like isStreaming's). */
interface TransportInternals {
  _eventStore?: { storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> };
  _streamMapping: Map<
    string,
    { controller?: ReadableStreamDefaultController<Uint8Array>; encoder?: TextEncoder; replayedEventIds?: Set<string> }
  >;
}

/** A room event's notification, built and turned into JSON once per publish, however many sessions get it. */
export class EventFrames {
  readonly #frames = new Map<number, { message: JSONRPCMessage; json?: string }>();

  of(event: RoomEvent): { message: JSONRPCMessage; json?: string } {
    let frame = this.#frames.get(event.seq);
    if (!frame) {
      frame = { message: { jsonrpc: "2.0", method: "notifications/message", params: eventLog(event) } };
      this.#frames.set(event.seq, frame);
    }
    return frame;
  }
}

/**
 * What server.sendLoggingMessage and transport.send do with a notification for the GET stream
 * (store it, then write it if the stream is open), minus the four zod parses transport.send runs
 * to tell a response from a notification, which cost about as much as the rest of a push.
 */
export async function sendOnStream(
  transport: WebStandardStreamableHTTPServerTransport,
  frame: { message: JSONRPCMessage; json?: string },
): Promise<void> {
  const t = transport as unknown as TransportInternals;
  const eventId = t._eventStore ? await t._eventStore.storeEvent(GET_STREAM, frame.message) : undefined;
  const sse = t._streamMapping.get(GET_STREAM);
  if (!sse?.controller || !sse.encoder) return;
  if (eventId !== undefined && sse.replayedEventIds?.has(eventId)) return;
  frame.json ??= JSON.stringify(frame.message);
  try {
    sse.controller.enqueue(sse.encoder.encode(`event: message\n${eventId ? `id: ${eventId}\n` : ""}data: ${frame.json}\n\n`));
  } catch {
    // The client went away meanwhile; the event stays replayable from the room's log.
  }
}
