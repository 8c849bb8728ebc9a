import type { EventStore, StreamId } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { TextCodec } from "../room/codec";
import type { Db } from "../room/sql";

/** The transport's id for a session's standalone GET stream, where room pushes travel. */
export const GET_STREAM = "_GET_stream";

/**
 * Persists what is sent on a session's GET stream, so `Last-Event-ID` replays it even after the
 * room was evicted. Replies on POST streams are not kept: their request is answered or retried.
 */
export class SqlEventStore implements EventStore {
  #ephemeral = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly sessionId: string,
    /** Pushed events repeat room text, so the replay buffer is sealed like the rest. */
    private readonly codec: () => TextCodec,
  ) {}

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<string> {
    if (streamId !== GET_STREAM) return Promise.resolve(`p${++this.#ephemeral}`);
    // Sealing is async; chaining keeps rows (and so replay) in the order events were sent.
    const stored = this.#chain.then(async () => {
      const sealed = await this.codec().seal("stream", JSON.stringify(message));
      const row = this.db.one<{ id: number }>(
        "INSERT INTO sse_events (session_id, stream_id, message, ts) VALUES (?, ?, ?, ?) RETURNING id",
        this.sessionId,
        streamId,
        sealed,
        Date.now(),
      );
      return String(row?.id ?? 0);
    });
    this.#chain = stored.catch(() => undefined);
    return stored;
  }

  async getStreamIdForEventId(eventId: string): Promise<StreamId | undefined> {
    if (!/^\d+$/.test(eventId)) return undefined;
    return this.db.one<{ stream_id: string }>(
      "SELECT stream_id FROM sse_events WHERE id = ? AND session_id = ?",
      Number(eventId),
      this.sessionId,
    )?.stream_id;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = await this.getStreamIdForEventId(lastEventId);
    if (!streamId) throw new Error(`unknown event id ${lastEventId}`);
    const rows = this.db.all<{ id: number; message: string }>(
      "SELECT id, message FROM sse_events WHERE session_id = ? AND stream_id = ? AND id > ? ORDER BY id",
      this.sessionId,
      streamId,
      Number(lastEventId),
    );
    for (const row of rows) {
      // Priming events carry no message; they only mark a resume point.
      const text = await this.codec().open("stream", row.message);
      if (text !== "{}") await send(String(row.id), JSON.parse(text) as JSONRPCMessage);
    }
    return streamId;
  }
}
