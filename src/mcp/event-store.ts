import type { EventStore, StreamId } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage, LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import type { TextCodec } from "../room/codec";
import type { RoomEvent } from "../room/events";
import type { Db } from "../room/sql";

/** The transport's id for a session's standalone GET stream, where room pushes travel. */
export const GET_STREAM = "_GET_stream";

/** The logger name room events are pushed under in notifications/message. */
const ROOM_LOGGER = "masc";

/** The notifications/message params that push a room event, live and on replay alike. */
export function eventLog(event: RoomEvent): LoggingMessageNotification["params"] {
  return { level: "info", logger: ROOM_LOGGER, data: event };
}

function eventNotification(event: RoomEvent): JSONRPCMessage {
  return { jsonrpc: "2.0", method: "notifications/message", params: eventLog(event) };
}

/** The seq of the room event a message pushes, or null for anything else. */
function roomEventSeq(message: JSONRPCMessage): number | null {
  if (!("method" in message) || message.method !== "notifications/message") return null;
  const params = message.params as { logger?: unknown; data?: { seq?: unknown } } | undefined;
  return params?.logger === ROOM_LOGGER && typeof params.data?.seq === "number" ? params.data.seq : null;
}

/** Where a session's push stands: what the store needs to rebuild pushed room events. */
export interface PushPosition {
  /** The seq of the last room event handed to this session's transport. */
  pushed(): number;
  /** The room events this session was handed after `after`, opened, oldest first. */
  handedAfter(after: number): Promise<RoomEvent[]>;
}

/**
 * Makes a session's GET stream resumable with `Last-Event-ID`, even after the room was evicted.
 *
 * Room events are the bulk of what is pushed, and the room keeps them already: their SSE id is
 * `e<seq>` and nothing is written per session, so one change pushed to twenty sessions costs no
 * extra rows. Everything else on the stream (resource updates, list changes) is stored, with the
 * seq the session had reached, which places it between the events on replay. Replies on POST
 * streams are not kept: their request is answered or retried.
 */
export class SqlEventStore implements EventStore {
  #ephemeral = 0;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly sessionId: string,
    /** Stored messages repeat room text, so they are sealed like the rest. */
    private readonly codec: () => TextCodec,
    private readonly position: () => PushPosition | undefined,
    /** Hands each GET stream message, with its id, to the relay (the SDK has no stream open itself). */
    private readonly deliver: (id: string, message: JSONRPCMessage) => void = () => {},
  ) {}

  /**
   * Where a new stream starts, as an event id the client can resume after: its last stored row if
   * nothing was handed after it, else the last room event handed to the session.
   */
  resumeId(): string {
    const pushed = this.position()?.pushed() ?? 0;
    const row = this.db.one<{ id: number }>(
      "SELECT id FROM sse_events WHERE session_id = ? AND after_seq >= ? ORDER BY id DESC LIMIT 1",
      this.sessionId,
      pushed,
    );
    return row ? String(row.id) : `e${pushed}`;
  }

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<string> {
    if (streamId !== GET_STREAM) return Promise.resolve(`p${++this.#ephemeral}`);
    const seq = roomEventSeq(message);
    if (seq !== null) {
      this.deliver(`e${seq}`, message);
      return Promise.resolve(`e${seq}`);
    }
    const after = this.position()?.pushed() ?? 0;
    // Sealing is async; chaining keeps rows (and so replay) in the order they were sent.
    const stored = this.#chain.then(async () => {
      const sealed = await this.codec().seal("stream", JSON.stringify(message));
      const row = this.db.one<{ id: number }>(
        "INSERT INTO sse_events (session_id, stream_id, message, ts, after_seq) VALUES (?, ?, ?, ?, ?) RETURNING id",
        this.sessionId,
        streamId,
        sealed,
        Date.now(),
        after,
      );
      const id = String(row?.id ?? 0);
      this.deliver(id, message);
      return id;
    });
    this.#chain = stored.catch(() => undefined);
    return stored;
  }

  /** Any id on the GET stream resumes it; one this store does not know resumes from now. */
  async getStreamIdForEventId(_eventId: string): Promise<StreamId | undefined> {
    return GET_STREAM;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const position = this.position();
    const from = this.#resumePoint(lastEventId);
    if (!position || !from) return GET_STREAM;
    const events = await position.handedAfter(from.seq);
    const rows = this.db.all<{ id: number; after_seq: number; message: string }>(
      "SELECT id, after_seq, message FROM sse_events WHERE session_id = ? AND (after_seq > ? OR (after_seq = ? AND id > ?)) ORDER BY id",
      this.sessionId,
      from.seq,
      from.seq,
      from.row,
    );
    // A stored message went out after every event up to its after_seq and before the next one.
    const queue = [...events];
    const sendEventsUpTo = async (seq: number) => {
      while (queue.length > 0 && (queue[0]?.seq ?? 0) <= seq) {
        const event = queue.shift() as RoomEvent;
        await send(`e${event.seq}`, eventNotification(event));
      }
    };
    for (const row of rows) {
      await sendEventsUpTo(row.after_seq);
      const text = await this.codec().open("stream", row.message);
      // Priming events carry no message; they only mark a resume point.
      if (text !== "{}") await send(String(row.id), JSON.parse(text) as JSONRPCMessage);
    }
    await sendEventsUpTo(Number.POSITIVE_INFINITY);
    return GET_STREAM;
  }

  /** An event id as a place in the stream: after room event `seq`, and after stored row `row`. */
  #resumePoint(id: string): { seq: number; row: number } | null {
    const event = /^e(\d+)$/.exec(id);
    if (event) return { seq: Number(event[1]), row: 0 };
    if (!/^\d+$/.test(id)) return null;
    const row = this.db.one<{ after_seq: number }>(
      "SELECT after_seq FROM sse_events WHERE id = ? AND session_id = ?",
      Number(id),
      this.sessionId,
    );
    return row ? { seq: row.after_seq, row: Number(id) } : null;
  }
}
