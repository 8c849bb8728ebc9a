import type { RoomApi } from "../mcp/room-port";
import type { Caller } from "../room/auth";
import type { TextCodec } from "../room/codec";
import type { Db } from "../room/sql";

/** What the dashboard's routes need of their room: the room's host hands itself. */
export interface DashboardRoom {
  readonly db: Db;
  readonly name: string;
  /** Seal and open stored text (encryption at rest). */
  readonly codec: TextCodec;
  /** The tools' port: a page action runs the very tool an agent calls. */
  readonly room: RoomApi;
  /** A page action counts in the room's tool metrics like any call. */
  observe(tool: string, ms: number, outcome: "ok" | "error"): void;
  /** Hands what a page action committed to the room's listeners. */
  flush(): Promise<void>;
  /** Whether a masc-agent channel (decision 0040) is still connected. */
  channelLive(channel: string): boolean;
  /** POST /api/permission-request: a channel relays a permission prompt (served by the host, which owns the channels). */
  permissionRequest(req: Request, caller: Caller | null): Promise<Response>;
}
